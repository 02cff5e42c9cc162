using System.Diagnostics;
using HammingIndex.Training.Datasets;
using HammingIndex.Training.Kernelization;

namespace HammingIndex.Training.Evaluation;

/// <summary>
/// The quality run: for every code length, seed and method, trains on the training split, encodes
/// the test split in both modalities, and scores image -> text and text -> image retrieval
/// (<see cref="RetrievalMetrics"/>) under each <see cref="DatabaseProtocol"/> the method has: its
/// learned training codes (the authors' protocol) and its hash codes of the training items;
/// adds the real-valued cosine references within each modality. Everything in one run, so the
/// methods see the same data and protocol.
/// </summary>
public static class CrossModalBenchmark
{
    /// <summary>Runs the benchmark on <paramref name="train"/> (training set and database) and <paramref name="test"/> (queries).</summary>
    /// <param name="dataset">Name shown in the report.</param>
    /// <param name="train">Training split: trains every method and is the database.</param>
    /// <param name="test">Test split: the queries.</param>
    /// <param name="options">What to run; null for the defaults.</param>
    /// <param name="log">Receives one line per trained model.</param>
    /// <exception cref="ArgumentException">The splits' feature dimensions or label counts differ.</exception>
    public static QualityReport Run(string dataset, CrossModalSplit train, CrossModalSplit test, BenchmarkOptions? options = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        options ??= new BenchmarkOptions();
        if (train.Images.Columns != test.Images.Columns || train.Texts.Columns != test.Texts.Columns)
            throw new ArgumentException($"Training features are {train.Images.Columns}/{train.Texts.Columns}-d, test features {test.Images.Columns}/{test.Texts.Columns}-d (image/text).", nameof(test));
        train.Labels.CheckCompatible(test.Labels);
        if (options.Seeds.Count == 0) throw new ArgumentException("At least one seed is needed.", nameof(options));

        // Seeds inside bits, methods inside seeds: methods that share a trained model
        // (CrossModalMethod.ScratchBeforeAndAfter) are asked for the same run in a row.
        var reports = new Dictionary<(int Method, DatabaseProtocol Protocol, int Bits, RetrievalDirection Direction), List<RetrievalReport>>();
        var seconds = new Dictionary<(int Method, int Bits), double>();
        foreach (int bits in options.Bits)
        {
            foreach (int seed in options.Seeds)
            {
                for (int m = 0; m < options.Methods.Count; m++)
                {
                    CrossModalMethod method = options.Methods[m];
                    var clock = Stopwatch.StartNew();
                    ICrossModalHasher hasher = method.Train(train, bits, seed);
                    double elapsed = clock.Elapsed.TotalSeconds;
                    seconds[(m, bits)] = seconds.GetValueOrDefault((m, bits)) + elapsed;
                    int layoutBits = hasher.Layout.Bits;
                    ulong[] queryImages = hasher.EncodeImages(test.Images), queryTexts = hasher.EncodeTexts(test.Texts);
                    var line = new System.Text.StringBuilder($"{dataset} {method.Name} {bits} bits seed {seed}:");
                    foreach (DatabaseProtocol protocol in ProtocolsOf(hasher))
                    {
                        (ulong[] images, ulong[] texts) = protocol == DatabaseProtocol.TrainingCodes
                            ? (hasher.DatabaseImageCodes, hasher.DatabaseTextCodes)
                            : (hasher.EncodeImages(train.Images), hasher.EncodeTexts(train.Texts));
                        RetrievalReport i2t = RetrievalMetrics.Evaluate(queryImages, texts, layoutBits, test.Labels, train.Labels, options.Retrieval);
                        RetrievalReport t2i = RetrievalMetrics.Evaluate(queryTexts, images, layoutBits, test.Labels, train.Labels, options.Retrieval);
                        Add(reports, (m, protocol, bits, RetrievalDirection.ImageToText), i2t);
                        Add(reports, (m, protocol, bits, RetrievalDirection.TextToImage), t2i);
                        line.Append(System.Globalization.CultureInfo.InvariantCulture, $" [{protocol.ShortName()}] I->T MAP {i2t.Map:F4}, T->I MAP {t2i.Map:F4};");
                    }
                    line.Append(System.Globalization.CultureInfo.InvariantCulture, $" trained in {elapsed:F2} s");
                    log?.Invoke(line.ToString());
                }
            }
        }
        var rows = new List<QualityRow>();
        for (int m = 0; m < options.Methods.Count; m++)
            foreach (DatabaseProtocol protocol in Enum.GetValues<DatabaseProtocol>())
                foreach (int bits in options.Bits)
                    foreach (RetrievalDirection direction in (RetrievalDirection[])[RetrievalDirection.ImageToText, RetrievalDirection.TextToImage])
                        if (reports.TryGetValue((m, protocol, bits, direction), out var list))
                            rows.Add(Summarize(options.Methods[m].Name, bits, direction, list, seconds[(m, bits)] / options.Seeds.Count) with { Protocol = protocol });

        var references = new List<ReferenceRow>();
        if (options.CosineReferences)
        {
            references.Add(new("raw features", RetrievalDirection.ImageToImage,
                CosineRetrieval.Evaluate(test.Images, train.Images, test.Labels, train.Labels, options.Retrieval)));
            references.Add(new("raw features", RetrievalDirection.TextToText,
                CosineRetrieval.Evaluate(test.Texts, train.Texts, test.Labels, train.Labels, options.Retrieval)));
            int anchors = Math.Min(options.ReferenceAnchors, train.Count);
            references.Add(new($"RBF kernel features ({anchors} anchors)", RetrievalDirection.ImageToImage,
                KernelCosine(train.Images, test.Images, anchors, options.Seeds[0], train.Labels, test.Labels, options.Retrieval)));
            references.Add(new($"RBF kernel features ({anchors} anchors)", RetrievalDirection.TextToText,
                KernelCosine(train.Texts, test.Texts, anchors, options.Seeds[0], train.Labels, test.Labels, options.Retrieval)));
        }
        return new QualityReport(dataset, train.Count, test.Count, options.Seeds.ToArray(), options.Retrieval, rows, references);
    }

    private static RankingReport KernelCosine(FeatureMatrix train, FeatureMatrix test, int anchors, int seed, LabelSet trainLabels, LabelSet testLabels, RetrievalOptions options)
    {
        RbfKernelMap map = RbfKernelMap.Fit(train, anchors, seed);
        var trainPhi = new FeatureMatrix(train.Rows, anchors, map.Transform(train));
        var testPhi = new FeatureMatrix(test.Rows, anchors, map.Transform(test));
        return CosineRetrieval.Evaluate(testPhi, trainPhi, testLabels, trainLabels, options);
    }

    /// <summary>Both protocols for a method with learned training codes; the encoded database only otherwise (the two coincide).</summary>
    private static DatabaseProtocol[] ProtocolsOf(ICrossModalHasher hasher) =>
        hasher.HasLearnedTrainingCodes ? [DatabaseProtocol.TrainingCodes, DatabaseProtocol.EncodedDatabase] : [DatabaseProtocol.EncodedDatabase];

    private static void Add<TKey>(Dictionary<TKey, List<RetrievalReport>> reports, TKey key, RetrievalReport report) where TKey : notnull
    {
        if (!reports.TryGetValue(key, out var list)) reports[key] = list = [];
        list.Add(report);
    }

    private static QualityRow Summarize(string method, int bits, RetrievalDirection direction, List<RetrievalReport> reports, double trainSeconds)
    {
        static double[] Mean(IEnumerable<double[]> curves)
        {
            double[][] all = curves.ToArray();
            var mean = new double[all[0].Length];
            foreach (double[] curve in all)
                for (int i = 0; i < mean.Length; i++) mean[i] += curve[i] / all.Length;
            return mean;
        }
        return new QualityRow(method, bits, direction,
            reports.Select(r => r.Map).ToArray(),
            reports.Average(r => r.MapAtR),
            reports.Average(r => r.LookupPrecision),
            reports.Average(r => r.LookupHitRate),
            Mean(reports.Select(r => r.PrecisionAtN)),
            Mean(reports.Select(r => r.PrecisionByRadius)),
            Mean(reports.Select(r => r.RecallByRadius)),
            trainSeconds);
    }
}
