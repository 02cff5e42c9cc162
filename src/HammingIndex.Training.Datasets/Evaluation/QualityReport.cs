using System.Globalization;
using System.Text;

namespace HammingIndex.Training.Evaluation;

/// <summary>One method at one code length in one direction, over all seeds.</summary>
/// <param name="Method">Method name.</param>
/// <param name="Bits">Code length.</param>
/// <param name="Direction">Query and database modality.</param>
/// <param name="MapPerSeed">MAP of each seed, in seed order.</param>
/// <param name="MapAtR">Mean MAP@R.</param>
/// <param name="LookupPrecision">Mean precision of hash lookup within the lookup radius.</param>
/// <param name="LookupHitRate">Mean fraction of queries that find something within the lookup radius.</param>
/// <param name="PrecisionAtN">Mean precision@N curve.</param>
/// <param name="PrecisionByRadius">Mean precision within radius r = 0..bits.</param>
/// <param name="RecallByRadius">Mean recall within radius r = 0..bits.</param>
/// <param name="TrainSeconds">Mean training time in seconds.</param>
public sealed record QualityRow(string Method, int Bits, RetrievalDirection Direction, double[] MapPerSeed, double MapAtR,
    double LookupPrecision, double LookupHitRate, double[] PrecisionAtN, double[] PrecisionByRadius, double[] RecallByRadius, double TrainSeconds)
{
    /// <summary>What the database held (default <see cref="DatabaseProtocol.EncodedDatabase"/>).</summary>
    public DatabaseProtocol Protocol { get; init; } = DatabaseProtocol.EncodedDatabase;

    /// <summary>Mean MAP over the seeds.</summary>
    public double Map => MapPerSeed.Average();

    /// <summary>Sample standard deviation of MAP over the seeds (0 for one seed).</summary>
    public double MapStd
    {
        get
        {
            if (MapPerSeed.Length < 2) return 0;
            double mean = Map;
            return Math.Sqrt(MapPerSeed.Sum(m => (m - mean) * (m - mean)) / (MapPerSeed.Length - 1));
        }
    }
}

/// <summary>A real-valued reference: cosine ranking within one modality.</summary>
/// <param name="Name">What was ranked.</param>
/// <param name="Direction">I->I or T->T.</param>
/// <param name="Report">Its ranking figures.</param>
public sealed record ReferenceRow(string Name, RetrievalDirection Direction, RankingReport Report);

/// <summary>The result of <see cref="CrossModalBenchmark.Run"/>, with a Markdown rendering.</summary>
/// <param name="Dataset">Data set name.</param>
/// <param name="TrainCount">Training (database) items.</param>
/// <param name="QueryCount">Query items.</param>
/// <param name="Seeds">Seeds averaged over.</param>
/// <param name="Options">The retrieval options used.</param>
/// <param name="Rows">Hashing results.</param>
/// <param name="References">Real-valued references.</param>
public sealed record QualityReport(string Dataset, int TrainCount, int QueryCount, IReadOnlyList<int> Seeds, RetrievalOptions Options,
    IReadOnlyList<QualityRow> Rows, IReadOnlyList<ReferenceRow> References)
{
    /// <summary>The row of <paramref name="method"/> at <paramref name="bits"/> in <paramref name="direction"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such row.</exception>
    public QualityRow Row(string method, int bits, RetrievalDirection direction) =>
        Rows.FirstOrDefault(r => r.Method == method && r.Bits == bits && r.Direction == direction)
        ?? throw new KeyNotFoundException($"No row for {method} at {bits} bits {direction.ShortName()}.");

    /// <summary>The row of <paramref name="method"/> under <paramref name="protocol"/> at <paramref name="bits"/> in <paramref name="direction"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such row.</exception>
    public QualityRow Row(string method, DatabaseProtocol protocol, int bits, RetrievalDirection direction) =>
        Rows.FirstOrDefault(r => r.Method == method && r.Protocol == protocol && r.Bits == bits && r.Direction == direction)
        ?? throw new KeyNotFoundException($"No row for {method} ({protocol.DisplayName()}) at {bits} bits {direction.ShortName()}.");

    /// <summary>The header of a method x bit-length table.</summary>
    private static void AppendHeader(StringBuilder sb, int[] bits)
    {
        sb.Append("| method | database | task |");
        foreach (int b in bits) sb.Append(CultureInfo.InvariantCulture, $" {b} bits |");
        sb.AppendLine();
        sb.Append("|---|---|---|");
        foreach (int _ in bits) sb.Append("---|");
        sb.AppendLine();
    }

    /// <summary>A difference with its sign and 3 decimals; one that rounds to zero is "±0.000" (not "-+0.000").</summary>
    internal static string Signed(double value)
    {
        double rounded = Math.Round(value, 3);
        return rounded == 0 ? "±0.000" : rounded.ToString("+0.000;-0.000", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Markdown tables: MAP (mean ± std over seeds) per method, direction and code length, with the
    /// reference MAP and our difference when <paramref name="referenceMap"/> gives one
    /// (keyed by bits and direction); then MAP@R and lookup precision; then the cosine references.
    /// </summary>
    public string ToMarkdown(IReadOnlyDictionary<(int Bits, RetrievalDirection Direction), double>? referenceMap = null, string referenceMethod = "SCRATCH")
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        int[] bits = Rows.Select(r => r.Bits).Distinct().Order().ToArray();
        string[] methods = Rows.Select(r => r.Method).Distinct().ToArray();
        var series = Rows.Select(r => (r.Method, r.Protocol)).Distinct().OrderBy(x => x.Protocol).ThenBy(x => Array.IndexOf(methods, x.Method)).ToArray();
        RetrievalDirection[] directions = [RetrievalDirection.ImageToText, RetrievalDirection.TextToImage];
        sb.AppendLine(c, $"{Dataset}: {TrainCount} training/database items, {QueryCount} queries; mean ± std over seeds {string.Join(", ", Seeds)}.");
        sb.AppendLine();
        sb.AppendLine("MAP (whole ranking). Database: \"training codes\" = the learned codes B of the training items (the authors' protocol); \"encoded database\" = each modality's hash codes of the training items (what an index holds):");
        sb.AppendLine();
        AppendHeader(sb, bits);
        foreach (var (method, protocol) in series)
        {
            foreach (RetrievalDirection d in directions)
            {
                sb.Append(c, $"| {method} | {protocol.ShortName()} | {d.ShortName()} |");
                foreach (int b in bits) sb.Append(c, $" {Row(method, protocol, b, d).Map:F3} ± {Row(method, protocol, b, d).MapStd:F3} |");
                sb.AppendLine();
                if (referenceMap is not null && method == referenceMethod && protocol == DatabaseProtocol.TrainingCodes)
                {
                    sb.Append(c, $"| {method} (authors' code) | {protocol.ShortName()} | {d.ShortName()} |");
                    foreach (int b in bits) sb.Append(referenceMap.TryGetValue((b, d), out double m) ? string.Create(c, $" {m:F3} |") : " – |");
                    sb.AppendLine();
                    sb.Append(c, $"| difference | | {d.ShortName()} |");
                    foreach (int b in bits) sb.Append(referenceMap.TryGetValue((b, d), out double m) ? $" {Signed(Row(method, protocol, b, d).Map - m)} |" : " – |");
                    sb.AppendLine();
                }
            }
        }
        sb.AppendLine();
        sb.AppendLine(c, $"MAP@{Options.MapCutoff} / precision of lookup within Hamming radius {Options.LookupRadius} (share of queries that find anything) / P@100:");
        sb.AppendLine();
        AppendHeader(sb, bits);
        foreach (var (method, protocol) in series)
        {
            foreach (RetrievalDirection d in directions)
            {
                sb.Append(c, $"| {method} | {protocol.ShortName()} | {d.ShortName()} |");
                foreach (int b in bits)
                {
                    QualityRow r = Row(method, protocol, b, d);
                    string p100 = r.PrecisionAtN.Length >= 100 ? r.PrecisionAtN[99].ToString("F3", c) : "–";
                    sb.Append(c, $" {r.MapAtR:F3} / {r.LookupPrecision:F3} ({r.LookupHitRate:P0}) / {p100} |");
                }
                sb.AppendLine();
            }
        }
        sb.AppendLine();
        sb.Append("Mean training time (s):");
        foreach (string method in methods)
            foreach (int b in bits) sb.Append(c, $" {method} {b}: {Row(method, b, RetrievalDirection.ImageToText).TrainSeconds:F2};");
        sb.AppendLine();
        if (References.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Real-valued references (cosine ranking within one modality; no codes):");
            sb.AppendLine();
            sb.AppendLine(c, $"| features | task | MAP | MAP@{Options.MapCutoff} | P@100 |");
            sb.AppendLine("|---|---|---|---|---|");
            foreach (ReferenceRow r in References)
            {
                string p100 = r.Report.PrecisionAtN.Length >= 100 ? r.Report.PrecisionAtN[99].ToString("F3", c) : "–";
                sb.AppendLine(c, $"| {r.Name} | {r.Direction.ShortName()} | {r.Report.Map:F3} | {r.Report.MapAtR:F3} | {p100} |");
            }
        }
        return sb.ToString();
    }
}
