using ScottPlot;

namespace HammingIndex.Cli.Plots;

/// <summary>One curve of a plot: its legend text and points.</summary>
internal sealed record Curve(string Label, double[] X, double[] Y);

/// <summary>
/// The PNG plots of <c>hamming eval</c> (ScottPlot 5): precision-recall and precision@N with one
/// line per method and direction, and the t-SNE map of codes coloured by label. Every plot has a
/// title, labelled axes and a legend.
/// </summary>
internal static class EvaluationPlots
{
    public const int Width = 900;
    public const int Height = 650;

    /// <summary>The t-SNE map is wider: its legend sits to the right of the points.</summary>
    public const int MapWidth = 1100;

    public static void PrecisionRecall(string path, string title, IReadOnlyList<Curve> curves) =>
        Lines(path, title, "Recall", "Precision", curves, markers: true);

    public static void PrecisionAtN(string path, string title, IReadOnlyList<Curve> curves) =>
        Lines(path, title, "N (number of items retrieved)", "Precision@N", curves, markers: false);

    private static void Lines(string path, string title, string xLabel, string yLabel, IReadOnlyList<Curve> curves, bool markers)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int c = 0; c < curves.Count; c++)
        {
            var line = plot.Add.Scatter(curves[c].X, curves[c].Y, palette.GetColor(c));
            line.LegendText = curves[c].Label;
            line.LineWidth = 2;
            line.MarkerSize = markers ? 5 : 0;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.Axes.SetLimitsY(0, 1.02);
        plot.ShowLegend(Alignment.UpperRight);
        Save(plot, path);
    }

    /// <summary>
    /// Scatter of 2-D points (interleaved x, y), one colour and legend entry per label; with
    /// <paramref name="isText"/>, image points are circles and text points triangles (legend: "name (image)", "name (text)").
    /// </summary>
    public static void Map(string path, string title, double[] xy, int[] labels, IReadOnlyList<string> labelNames, bool[]? isText = null)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int label = 0; label < labelNames.Count; label++)
        {
            foreach (bool text in isText is null ? [false] : new[] { false, true })
            {
                var xs = new List<double>();
                var ys = new List<double>();
                for (int i = 0; i < labels.Length; i++)
                {
                    if (labels[i] != label || (isText is not null && isText[i] != text)) continue;
                    xs.Add(xy[2 * i]);
                    ys.Add(xy[2 * i + 1]);
                }
                if (xs.Count == 0) continue;
                var points = plot.Add.Markers(xs.ToArray(), ys.ToArray(), text ? MarkerShape.FilledTriangleUp : MarkerShape.FilledCircle, 6, palette.GetColor(label));
                points.LegendText = isText is null ? labelNames[label] : $"{labelNames[label]} ({(text ? "text" : "image")})";
            }
        }
        plot.Title(title);
        plot.XLabel("t-SNE dimension 1");
        plot.YLabel("t-SNE dimension 2");
        plot.ShowLegend(Edge.Right);
        Save(plot, path, MapWidth);
    }

    private static void Save(Plot plot, string path, int width = Width)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        plot.SavePng(path, width, Height);
    }
}
