using System.Diagnostics;
using HammingIndex.Training.Datasets;
using HammingIndex.Training.Kernelization;

namespace HammingIndex.Training.Evaluation;

/// <summary>
/// The quality run: for every method, code length and seed, trains on the training split,
/// encodes the test split in both modalities, and scores image -> text and text -> image retrieval
/// against the method's database codes of the training split (<see cref="RetrievalMetrics"/>);
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

        var rows = new List<QualityRow>();
        foreach (CrossModalMethod method in options.Methods)
        {
            foreach (int bits in options.Bits)
            {
                var perDirection = new Dictionary<RetrievalDirection, List<RetrievalReport>>
                {
                    [RetrievalDirection.ImageToText] = [],
                    [RetrievalDirection.TextToImage] = [],
                };
                double trainSeconds = 0;
                foreach (int seed in options.Seeds)
                {
                    var clock = Stopwatch.StartNew();
                    ICrossModalHasher hasher = method.Train(train, bits, seed);
                    double seconds = clock.Elapsed.TotalSeconds;
                    trainSeconds += seconds;
                    int layoutBits = hasher.Layout.Bits;
                    RetrievalReport i2t = RetrievalMetrics.Evaluate(hasher.EncodeImages(test.Images), hasher.DatabaseTextCodes, layoutBits,
                        test.Labels, train.Labels, options.Retrieval);
                    RetrievalReport t2i = RetrievalMetrics.Evaluate(hasher.EncodeTexts(test.Texts), hasher.DatabaseImageCodes, layoutBits,
                        test.Labels, train.Labels, options.Retrieval);
                    perDirection[RetrievalDirection.ImageToText].Add(i2t);
                    perDirection[RetrievalDirection.TextToImage].Add(t2i);
                    log?.Invoke($"{dataset} {method.Name} {bits} bits seed {seed}: I->T MAP {i2t.Map:F4}, T->I MAP {t2i.Map:F4} (trained in {seconds:F2} s)");
                }
                foreach ((RetrievalDirection direction, List<RetrievalReport> reports) in perDirection)
                    rows.Add(Summarize(method.Name, bits, direction, reports, trainSeconds / options.Seeds.Count));
            }
        }

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
