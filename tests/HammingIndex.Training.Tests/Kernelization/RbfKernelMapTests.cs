using FsCheck;
using FsCheck.Fluent;
using HammingIndex.Training.Kernelization;
using HammingIndex.Training.Tests.Scratch;

namespace HammingIndex.Training.Tests.Kernelization;

public class RbfKernelMapTests
{
    /// <summary>The map written out directly from its definition, with the fitted anchors.</summary>
    private static double[] NaiveFeatures(FeatureMatrix training, FeatureMatrix rows, double[] anchors, int a, out double sigma)
    {
        int n = training.Rows, d = training.Columns;
        var mean = new double[d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++) mean[k] += training.Row(i)[k] / n;
        double[] Distances(FeatureMatrix m)
        {
            var result = new double[m.Rows * a];
            for (int i = 0; i < m.Rows; i++)
                for (int j = 0; j < a; j++)
                {
                    double s = 0;
                    for (int k = 0; k < d; k++)
                    {
                        double diff = m.Row(i)[k] - mean[k] - anchors[j * d + k];
                        s += diff * diff;
                    }
                    result[i * a + j] = s;
                }
            return result;
        }
        double[] trainD = Distances(training);
        sigma = trainD.Average();
        if (sigma == 0) sigma = 1; // every row equals every anchor (one training row): the map's documented width
        double width = sigma;
        var featureMean = new double[a];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < a; j++) featureMean[j] += Math.Exp(-trainD[i * a + j] / (2 * width)) / n;
        double[] rowD = Distances(rows);
        var phi = new double[rows.Rows * a];
        for (int i = 0; i < rows.Rows; i++)
            for (int j = 0; j < a; j++) phi[i * a + j] = Math.Exp(-rowD[i * a + j] / (2 * width)) - featureMean[j];
        return phi;
    }

    [Fact]
    public void FeaturesMatchADirectComputationForTrainingAndNewRows()
    {
        var shapes = (from n in Gen.Choose(1, 600) from d in Gen.Choose(1, 12) from seed in Gen.Choose(0, 10000)
                      from a in Gen.Choose(1, Math.Min(n, 40)) select (n, d, a, seed)).ToArbitrary();
        Prop.ForAll(shapes, s =>
        {
            var (n, d, a, seed) = s;
            var random = new Random(seed);
            var training = new FeatureMatrix(n, d, PairedData.Gaussian(random, n * d));
            var fresh = new FeatureMatrix(7, d, PairedData.Gaussian(random, 7 * d));
            var map = RbfKernelMap.Fit(training, a, seed);
            var anchors = map.Anchors.ToArray();
            double[] expectedTrain = NaiveFeatures(training, training, anchors, a, out double sigma);
            double[] expectedFresh = NaiveFeatures(training, fresh, anchors, a, out _);
            double[] actualTrain = map.Transform(training), actualFresh = map.Transform(fresh);
            bool close = Math.Abs(map.Sigma - sigma) <= 1e-9 * sigma;
            for (int i = 0; i < expectedTrain.Length; i++) close &= Math.Abs(actualTrain[i] - expectedTrain[i]) <= 1e-9;
            for (int i = 0; i < expectedFresh.Length; i++) close &= Math.Abs(actualFresh[i] - expectedFresh[i]) <= 1e-9;
            return close;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void OneTrainingRowGivesWidthOneAndZeroCentredFeatures()
    {
        var training = new FeatureMatrix(1, 3, [0.5, -2, 7]);
        var map = RbfKernelMap.Fit(training, 1, seed: 5);
        Assert.Equal(1, map.Sigma); // all distances are 0: the width falls back to 1 instead of dividing by 0
        Assert.Equal([0.0], map.Transform(training)); // phi = 1, minus its training mean 1
        double[] other = map.Transform(new FeatureMatrix(1, 3, [1.5, -2, 7])); // distance 1 from the anchor
        Assert.Equal(Math.Exp(-0.5) - 1, other[0], 12);
    }

    [Fact]
    public void AnchorsAreDistinctCentredTrainingRowsAndDependOnlyOnTheSeed()
    {
        var random = new Random(3);
        int n = 300, d = 4, a = 60;
        var training = new FeatureMatrix(n, d, PairedData.Gaussian(random, n * d));
        var map = RbfKernelMap.Fit(training, a, seed: 11);
        var again = RbfKernelMap.Fit(training, a, seed: 11, maxDegreeOfParallelism: 1);
        var other = RbfKernelMap.Fit(training, a, seed: 12);
        Assert.Equal(map.Anchors.ToArray(), again.Anchors.ToArray());
        Assert.NotEqual(map.Anchors.ToArray(), other.Anchors.ToArray());
        var rows = new HashSet<int>();
        for (int j = 0; j < a; j++)
        {
            int match = Enumerable.Range(0, n).Single(i =>
                Enumerable.Range(0, d).All(k => Math.Abs(training.Row(i)[k] - map.InputMean[k] - map.Anchors[j * d + k]) < 1e-12));
            Assert.True(rows.Add(match), $"anchor {j} repeats training row {match}");
        }
    }

    [Fact]
    public void KMeansAnchorsFitTheTrainingRowsNoWorseThanTheRandomDraw()
    {
        var data = PairedData.Create(400, 5, 3, 6, seed: 8);
        var random = RbfKernelMap.Fit(data.Image, 6, seed: 2);
        var kmeans = RbfKernelMap.Fit(data.Image, 6, seed: 2, AnchorSelection.KMeans, kMeansIterations: 5);
        static double Distortion(RbfKernelMap map, FeatureMatrix rows)
        {
            double total = 0;
            int d = rows.Columns;
            for (int i = 0; i < rows.Rows; i++)
            {
                double best = double.MaxValue;
                for (int j = 0; j < map.AnchorCount; j++)
                {
                    double s = 0;
                    for (int k = 0; k < d; k++) { double diff = rows.Row(i)[k] - map.InputMean[k] - map.Anchors[j * d + k]; s += diff * diff; }
                    best = Math.Min(best, s);
                }
                total += best;
            }
            return total;
        }
        Assert.True(Distortion(kmeans, data.Image) < Distortion(random, data.Image));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteFeaturesAreRefusedWithTheirPosition(double bad)
    {
        var values = new double[20 * 3];
        for (int i = 0; i < values.Length; i++) values[i] = i % 7;
        values[13 * 3 + 2] = bad;
        var ex = Assert.Throws<ArgumentException>(() => RbfKernelMap.Fit(new FeatureMatrix(20, 3, values), 5, 0));
        Assert.Equal("training", ex.ParamName);
        Assert.Contains("row 13, column 2", ex.Message);

        values[13 * 3 + 2] = 0;
        var map = RbfKernelMap.Fit(new FeatureMatrix(20, 3, values), 5, 0);
        var ex2 = Assert.Throws<ArgumentException>(() => map.Transform(new FeatureMatrix(1, 3, new[] { 0, bad, 0 })));
        Assert.Equal("rows", ex2.ParamName);
        Assert.Contains("row 0, column 1", ex2.Message);
    }

    [Fact]
    public void MoreAnchorsThanRowsOrAWrongWidthIsRefused()
    {
        var rows = new FeatureMatrix(10, 2, new double[10 * 2]);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => RbfKernelMap.Fit(rows, 11, 0));
        Assert.Equal("anchorCount", ex.ParamName);
        Assert.Equal(11, ex.ActualValue);
        Assert.Throws<ArgumentOutOfRangeException>(() => RbfKernelMap.Fit(rows, 0, 0));
        var map = RbfKernelMap.Fit(rows, 3, 0);
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => map.Transform(new FeatureMatrix(1, 3, new double[3]))).ParamName);
    }

    [Fact]
    public void NullMatricesAreRefusedByName()
    {
        Assert.Equal("training", Assert.Throws<ArgumentNullException>(() => RbfKernelMap.Fit(null!, 1, 0)).ParamName);
        var map = RbfKernelMap.Fit(new FeatureMatrix(4, 2, [0, 1, 2, 3, 4, 5, 6, 7]), 2, 0);
        Assert.Equal("rows", Assert.Throws<ArgumentNullException>(() => map.Transform(null!)).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentNullException>(() => map.Transform(null!, new double[2])).ParamName);
    }
}
