using System.Diagnostics;
using System.Globalization;
using System.Text;
using HammingIndex.Training.Datasets;
using HammingIndex.Training.Evaluation;

namespace HammingIndex.Unsupervised;

/// <summary>Which database the queries search.</summary>
internal enum Protocol
{
    /// <summary>The method's training codes (SCRATCH's learned B; the authors' evaluate.m).</summary>
    TrainingCodes,

    /// <summary>The training items encoded by the method's hash functions, what an index holds.</summary>
    EncodedDatabase,
}

/// <summary>One method, code length, direction and protocol over all seeds.</summary>
internal sealed record TwoProtocolRow(string Method, int Bits, RetrievalDirection Direction, Protocol Protocol, double[] Maps, double TrainSeconds)
{
    public double Mean => Maps.Average();
    public double Std => Maps.Length < 2 ? 0 : Math.Sqrt(Maps.Sum(m => (m - Mean) * (m - Mean)) / (Maps.Length - 1));
}

/// <summary>
/// Trains every method on the training split (labels are handed to supervised SCRATCH only), encodes
/// the test split, and scores MAP in both directions under both protocols with the same
/// <see cref="RetrievalMetrics"/> as docs/QUALITY.md's other tables.
/// </summary>
internal sealed record TwoProtocolBenchmark(string Dataset, int TrainCount, int QueryCount, int[] Seeds, IReadOnlyList<TwoProtocolRow> Rows)
{
    public static TwoProtocolBenchmark Run(string dataset, CrossModalSplit train, CrossModalSplit test, IReadOnlyList<CrossModalMethod> methods,
        int[] bits, int[] seeds, Action<string> log)
    {
        var rows = new List<TwoProtocolRow>();
        foreach (CrossModalMethod method in methods)
        {
            foreach (int b in bits)
            {
                var maps = new Dictionary<(RetrievalDirection, Protocol), List<double>>();
                double seconds = 0;
                foreach (int seed in seeds)
                {
                    var clock = Stopwatch.StartNew();
                    ICrossModalHasher hasher = method.Train(train, b, seed);
                    seconds += clock.Elapsed.TotalSeconds;
                    int layoutBits = hasher.Layout.Bits;
                    ulong[] imageQueries = hasher.EncodeImages(test.Images), textQueries = hasher.EncodeTexts(test.Texts);
                    ulong[] encodedImages = hasher.EncodeImages(train.Images), encodedTexts = hasher.EncodeTexts(train.Texts);
                    void Score(RetrievalDirection d, Protocol p, ulong[] queries, ulong[] database)
                    {
                        double map = RetrievalMetrics.Evaluate(queries, database, layoutBits, test.Labels, train.Labels).Map;
                        if (!maps.TryGetValue((d, p), out var list)) maps[(d, p)] = list = [];
                        list.Add(map);
                    }
                    Score(RetrievalDirection.ImageToText, Protocol.TrainingCodes, imageQueries, hasher.DatabaseTextCodes);
                    Score(RetrievalDirection.TextToImage, Protocol.TrainingCodes, textQueries, hasher.DatabaseImageCodes);
                    Score(RetrievalDirection.ImageToText, Protocol.EncodedDatabase, imageQueries, encodedTexts);
                    Score(RetrievalDirection.TextToImage, Protocol.EncodedDatabase, textQueries, encodedImages);
                    log(string.Create(CultureInfo.InvariantCulture,
                        $"{dataset} {method.Name} {b} bits seed {seed}: I->T {maps[(RetrievalDirection.ImageToText, Protocol.TrainingCodes)][^1]:F4}/{maps[(RetrievalDirection.ImageToText, Protocol.EncodedDatabase)][^1]:F4}, " +
                        $"T->I {maps[(RetrievalDirection.TextToImage, Protocol.TrainingCodes)][^1]:F4}/{maps[(RetrievalDirection.TextToImage, Protocol.EncodedDatabase)][^1]:F4} (training codes/encoded), {clock.Elapsed.TotalSeconds:F2} s"));
                }
                foreach (((RetrievalDirection d, Protocol p), List<double> list) in maps)
                    rows.Add(new TwoProtocolRow(method.Name, b, d, p, list.ToArray(), seconds / seeds.Length));
            }
        }
        return new TwoProtocolBenchmark(dataset, train.Count, test.Count, seeds, rows);
    }

    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        int[] bits = Rows.Select(r => r.Bits).Distinct().Order().ToArray();
        string[] methods = Rows.Select(r => r.Method).Distinct().ToArray();
        TwoProtocolRow Row(string m, int b, RetrievalDirection d, Protocol p) => Rows.First(r => r.Method == m && r.Bits == b && r.Direction == d && r.Protocol == p);
        sb.AppendLine(c, $"{Dataset}: {TrainCount} training/database pairs, {QueryCount} queries; MAP, mean ± std over seeds {string.Join(", ", Seeds)}.");
        foreach (Protocol p in Enum.GetValues<Protocol>())
        {
            sb.AppendLine();
            sb.AppendLine(p == Protocol.TrainingCodes ? "Database = the method's training codes (authors' protocol):" : "Database = the training items encoded by the hash functions (what an index holds):");
            sb.AppendLine();
            sb.Append("| method | task |");
            foreach (int b in bits) sb.Append(c, $" {b} bits |");
            sb.AppendLine();
            sb.Append("|---|---|");
            foreach (int _ in bits) sb.Append("---|");
            sb.AppendLine();
            foreach (string m in methods)
                foreach (RetrievalDirection d in new[] { RetrievalDirection.ImageToText, RetrievalDirection.TextToImage })
                {
                    sb.Append(c, $"| {m} | {d.ShortName()} |");
                    foreach (int b in bits) sb.Append(c, $" {Row(m, b, d, p).Mean:F3} ± {Row(m, b, d, p).Std:F3} |");
                    sb.AppendLine();
                }
            if (methods.Contains(MethodSettings.GraphName) && methods.Contains(MethodSettings.CcaItqName))
                foreach (RetrievalDirection d in new[] { RetrievalDirection.ImageToText, RetrievalDirection.TextToImage })
                {
                    sb.Append(c, $"| graph − CCA-ITQ | {d.ShortName()} |");
                    foreach (int b in bits) sb.Append(c, $" {Row(MethodSettings.GraphName, b, d, p).Mean - Row(MethodSettings.CcaItqName, b, d, p).Mean:+0.000;-0.000} |");
                    sb.AppendLine();
                }
        }
        sb.AppendLine();
        sb.Append("Mean training time (s):");
        foreach (string m in methods)
            foreach (int b in bits) sb.Append(c, $" {m} {b}: {Row(m, b, RetrievalDirection.ImageToText, Protocol.TrainingCodes).TrainSeconds:F2};");
        sb.AppendLine();
        return sb.ToString();
    }
}
