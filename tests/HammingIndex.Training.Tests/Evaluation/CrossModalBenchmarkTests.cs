using HammingIndex.Training.Datasets;
using HammingIndex.Training.Evaluation;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.Tests.Evaluation;

public sealed class CrossModalBenchmarkTests
{
    /// <summary>Two views of 4 classes: each view is its own class centre plus noise, in its own space.</summary>
    private static (CrossModalSplit Train, CrossModalSplit Test) TwoViewSet(int seed, int train, int test)
    {
        var rng = new Random(seed);
        double[][] imageCentres = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 8).Select(_ => rng.NextDouble() * 4).ToArray()).ToArray();
        double[][] textCentres = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 5).Select(_ => rng.NextDouble() * 4).ToArray()).ToArray();
        CrossModalSplit Make(int n)
        {
            var images = new FeatureMatrix(n, 8);
            var texts = new FeatureMatrix(n, 5);
            var classes = new int[n];
            for (int i = 0; i < n; i++)
            {
                classes[i] = i % 4;
                for (int j = 0; j < 8; j++) images[i, j] = imageCentres[classes[i]][j] + rng.NextDouble() - 0.5;
                for (int j = 0; j < 5; j++) texts[i, j] = textCentres[classes[i]][j] + rng.NextDouble() - 0.5;
            }
            return new CrossModalSplit(images, texts, LabelSet.FromClasses(classes, 4));
        }
        return (Make(train), Make(test));
    }

    [Fact]
    public void ScratchLearnsTheSharedLabelsAndLshStaysNearChance()
    {
        (CrossModalSplit train, CrossModalSplit test) = TwoViewSet(11, 240, 60);
        var options = new BenchmarkOptions
        {
            Bits = [16],
            Seeds = [1, 2],
            Methods = [CrossModalMethod.Scratch(new ScratchOptions { Anchors = 40 }), CrossModalMethod.Lsh],
            ReferenceAnchors = 40,
        };
        var lines = new List<string>();
        QualityReport report = CrossModalBenchmark.Run("two views", train, test, options, lines.Add);
        Assert.Equal(4, lines.Count); // one per method and seed
        // SCRATCH is scored under both protocols, LSH (no learned codes) under the encoded database only.
        Assert.Equal(8, report.Rows.Count(r => r.Method == "SCRATCH") + 2 * report.Rows.Count(r => r.Method == "LSH"));
        Assert.DoesNotContain(report.Rows, r => r.Method == "LSH" && r.Protocol == DatabaseProtocol.TrainingCodes);
        foreach (RetrievalDirection d in new[] { RetrievalDirection.ImageToText, RetrievalDirection.TextToImage })
        {
            // Classes are well separated in each view: SCRATCH links them across views.
            Assert.True(report.Row("SCRATCH", 16, d).Map > 0.9, $"SCRATCH {d}: {report.Row("SCRATCH", 16, d).Map}");
            Assert.Equal(DatabaseProtocol.TrainingCodes, report.Row("SCRATCH", 16, d).Protocol); // the authors' protocol comes first
            Assert.True(report.Row("SCRATCH", DatabaseProtocol.EncodedDatabase, 16, d).Map > 0.8, $"SCRATCH encoded {d}");
            // Independent random projections of unrelated spaces: no learned link between the views, so far
            // below SCRATCH (with only 4 clusters per view, a chance alignment can lift it above 0.25).
            Assert.True(report.Row("LSH", 16, d).Map < report.Row("SCRATCH", 16, d).Map - 0.3, $"LSH {d}: {report.Row("LSH", 16, d).Map}");
            Assert.Equal(2, report.Row("SCRATCH", 16, d).MapPerSeed.Length);
        }
        // Within one view the classes separate: the cosine references are far above chance.
        Assert.All(report.References, r => Assert.True(r.Report.Map > 0.8, $"{r.Name} {r.Direction}: {r.Report.Map}"));
        string markdown = report.ToMarkdown(new Dictionary<(int, RetrievalDirection), double> { [(16, RetrievalDirection.ImageToText)] = 0.5 });
        Assert.Contains("| SCRATCH (authors' code) | training codes | I->T | 0.500 |", markdown);
        Assert.Contains("| SCRATCH (authors' code) | training codes | T->I | – |", markdown);
        Assert.Contains($"| difference | | I->T | {QualityReport.Signed(report.Row("SCRATCH", 16, RetrievalDirection.ImageToText).Map - 0.5)} |", markdown);
        Assert.Contains("| SCRATCH | encoded database | I->T |", markdown);
    }

    [Theory]
    [InlineData(0.0123, "+0.012")]
    [InlineData(-0.0126, "-0.013")]
    [InlineData(-0.0003, "±0.000")]
    [InlineData(0.0004, "±0.000")]
    public void DifferencesKeepTheirSign(double value, string expected) => Assert.Equal(expected, QualityReport.Signed(value));

    [Fact]
    public void RowStatisticsAreMeanAndSampleStandardDeviation()
    {
        var row = new QualityRow("m", 16, RetrievalDirection.ImageToText, [0.3, 0.5, 0.4], 0, 0, 0, [], [], [], 0);
        Assert.Equal(0.4, row.Map, 12);
        // deviations -0.1, 0.1, 0: sqrt(0.02 / 2) = 0.1
        Assert.Equal(0.1, row.MapStd, 12);
        Assert.Equal(0.0, (row with { MapPerSeed = [0.7] }).MapStd);
    }

    [Fact]
    public void RefusesSplitsOfDifferentShapes()
    {
        (CrossModalSplit train, _) = TwoViewSet(1, 40, 10);
        var other = new CrossModalSplit(new FeatureMatrix(10, 7), new FeatureMatrix(10, 5), LabelSet.FromClasses(new int[10], 4));
        var e = Assert.Throws<ArgumentException>(() => CrossModalBenchmark.Run("x", train, other, new BenchmarkOptions { Methods = [CrossModalMethod.Lsh] }));
        Assert.Contains("8/5-d, test features 7/5-d", e.Message);
    }
}
