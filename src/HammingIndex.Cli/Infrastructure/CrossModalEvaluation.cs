using HammingIndex.Cli.Plots;
using HammingIndex.Training.Datasets;
using HammingIndex.Training.Evaluation;
using HammingIndex.Training.Scratch;
using Spectre.Console;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>One row of the quality table: a method, what its database held, a direction, and its scores.</summary>
internal sealed record MethodResult(string Method, DatabaseProtocol Protocol, string Direction, RetrievalReport Report)
{
    public string Label => $"{Method} {Direction}, {Protocol.ShortName()}";
}

/// <summary>What <see cref="CrossModalEvaluation.Run"/> produced: the scores and the SCRATCH codes of the test items.</summary>
internal sealed record EvaluationOutcome(IReadOnlyList<MethodResult> Results, ulong[] TestImageCodes, ulong[] TestTextCodes, int Words);

/// <summary>
/// The field's protocol for a model on a split: database = training items, queries = test items,
/// image->text and text->image, relevant = shares a label; SCRATCH against random-hyperplane LSH
/// (per modality, the cross-modal chance level) scored in the same run.
/// </summary>
internal static class CrossModalEvaluation
{
    public const string ImageToText = "I->T";
    public const string TextToImage = "T->I";

    /// <summary>
    /// Scores every hasher (the first one's test codes are kept for the t-SNE map) in both directions:
    /// test queries of one modality against the training items of the other, under both database
    /// protocols when the hasher has learned training codes (those first: the authors' protocol), else
    /// under the encoded database only.
    /// </summary>
    public static EvaluationOutcome Run(IReadOnlyList<(string Name, ICrossModalHasher Hasher)> methods, CrossModalSplit train, CrossModalSplit test)
    {
        if (train.Labels.LabelCount != test.Labels.LabelCount)
            throw new CliException($"the training labels have {train.Labels.LabelCount} columns but the test labels {test.Labels.LabelCount}.");
        var results = new List<MethodResult>();
        ulong[]? firstImages = null, firstTexts = null;
        foreach (var (name, hasher) in methods)
        {
            int bits = hasher.Layout.Bits;
            ulong[] qImages = hasher.EncodeImages(test.Images);
            ulong[] qTexts = hasher.EncodeTexts(test.Texts);
            DatabaseProtocol[] protocols = hasher.HasLearnedTrainingCodes ? [DatabaseProtocol.TrainingCodes, DatabaseProtocol.EncodedDatabase] : [DatabaseProtocol.EncodedDatabase];
            foreach (DatabaseProtocol protocol in protocols)
            {
                (ulong[] dbImages, ulong[] dbTexts) = protocol == DatabaseProtocol.TrainingCodes
                    ? (hasher.DatabaseImageCodes, hasher.DatabaseTextCodes)
                    : (hasher.EncodeImages(train.Images), hasher.EncodeTexts(train.Texts));
                results.Add(new(name, protocol, ImageToText, RetrievalMetrics.Evaluate(qImages, dbTexts, bits, test.Labels, train.Labels)));
                results.Add(new(name, protocol, TextToImage, RetrievalMetrics.Evaluate(qTexts, dbImages, bits, test.Labels, train.Labels)));
            }
            firstImages ??= qImages;
            firstTexts ??= qTexts;
        }
        return new EvaluationOutcome(results, firstImages!, firstTexts!, methods[0].Hasher.Layout.WordsPerCode);
    }

    public static void PrintTable(IAnsiConsole console, string title, IReadOnlyList<MethodResult> results)
    {
        var table = new Table().Title(title).AddColumns("method", "database", "direction", "MAP", "MAP@50", "P@100", "precision r<=2", "queries with a hit r<=2");
        foreach (MethodResult r in results)
        {
            RetrievalReport rep = r.Report;
            string p100 = rep.PrecisionAtN.Length >= 100 ? $"{rep.PrecisionAtN[99]:F4}" : "-";
            table.AddRow(r.Method, r.Protocol.ShortName(), r.Direction, $"{rep.Map:F4}", $"{rep.MapAtR:F4}", p100, $"{rep.LookupPrecision:F4}", $"{rep.LookupHitRate:P1}");
        }
        table.Caption($"database: training codes = {DatabaseProtocol.TrainingCodes.DisplayName()}; encoded database = {DatabaseProtocol.EncodedDatabase.DisplayName()}");
        console.Write(table);
    }

    /// <summary>Writes pr.png, precision_at_n.png and tsne.png into <paramref name="directory"/>; returns the paths.</summary>
    public static IReadOnlyList<string> WritePlots(string directory, string dataset, EvaluationOutcome outcome, LabelSet testLabels,
        IReadOnlyList<string>? labelNames, int tsneSamples, int seed)
    {
        Directory.CreateDirectory(directory);
        int bits = outcome.Results[0].Report.Bits;
        string pr = Path.Combine(directory, "pr.png");
        string databases = string.Join(" vs ", outcome.Results.Select(r => r.Protocol).Distinct().Select(p => p.DisplayName()));
        EvaluationPlots.PrecisionRecall(pr, $"{dataset}: precision-recall over Hamming radii 0..{bits} ({bits} bits)\ndatabase: {databases}",
            outcome.Results.Select(r => new Curve(r.Label, r.Report.RecallByRadius, r.Report.PrecisionByRadius)).ToList());
        string pn = Path.Combine(directory, "precision_at_n.png");
        EvaluationPlots.PrecisionAtN(pn, $"{dataset}: precision@N ({bits} bits)\ndatabase: {databases}",
            outcome.Results.Select(r => new Curve(r.Label, Enumerable.Range(1, r.Report.PrecisionAtN.Length).Select(n => (double)n).ToArray(), r.Report.PrecisionAtN)).ToList());
        string tsne = Path.Combine(directory, "tsne.png");
        WriteTsne(tsne, dataset, outcome, testLabels, labelNames, tsneSamples, seed);
        return [pr, pn, tsne];
    }

    /// <summary>
    /// t-SNE of the SCRATCH hash codes of sampled test images and texts (queries: no database is
    /// involved), coloured by their most frequent label (the ten most frequent labels shown, by name
    /// where the set has names), circles for images and triangles for texts.
    /// </summary>
    private static void WriteTsne(string path, string dataset, EvaluationOutcome outcome, LabelSet labels, IReadOnlyList<string>? labelNames, int samples, int seed)
    {
        int words = outcome.Words, n = labels.Count;
        int[] order = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(order);
        var frequency = new int[labels.LabelCount];
        for (int i = 0; i < n; i++)
            for (int l = 0; l < labels.LabelCount; l++)
                if (labels.Has(i, l)) frequency[l]++;
        int[] shown = Enumerable.Range(0, labels.LabelCount).OrderByDescending(l => frequency[l]).ThenBy(l => l).Take(10).ToArray();
        var items = new List<(int Item, int Colour)>();
        foreach (int i in order)
        {
            int colour = Array.FindIndex(shown, l => labels.Has(i, l));
            if (colour >= 0) items.Add((i, colour));
            if (items.Count == samples / 2) break;
        }
        var codes = new ulong[2 * items.Count * words];
        var colours = new int[2 * items.Count];
        var isText = new bool[2 * items.Count];
        for (int k = 0; k < items.Count; k++)
        {
            outcome.TestImageCodes.AsSpan(items[k].Item * words, words).CopyTo(codes.AsSpan(k * words));
            outcome.TestTextCodes.AsSpan(items[k].Item * words, words).CopyTo(codes.AsSpan((items.Count + k) * words));
            colours[k] = colours[items.Count + k] = items[k].Colour;
            isText[items.Count + k] = true;
        }
        double[] xy = HammingTsne.Embed(codes, words, seed: seed);
        string[] names = shown.Select(l => labelNames is not null && l < labelNames.Count ? labelNames[l] : $"label {l}").ToArray();
        EvaluationPlots.Map(path, $"{dataset}: t-SNE of SCRATCH hash codes of test queries\n{items.Count} images (circles) + {items.Count} texts (triangles), coloured by label", xy, colours, names, isText);
    }
}
