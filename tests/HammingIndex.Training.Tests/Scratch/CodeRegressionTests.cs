using System.IO.Hashing;
using HammingIndex.Codes;
using HammingIndex.Training.Kernelization;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.Tests.Scratch;

public class CodeRegressionTests
{
    private static readonly PairedData Data = PairedData.Create(230, 6, 4, 3, seed: 21);
    private static readonly PairedData Fresh = PairedData.Create(37, 6, 4, 3, seed: 22);

    private static ScratchTrainingResult Train(int bits, double ridge = 0) => ScratchTrainer.Train(Data.Image, Data.Text, Data.Labels,
        new ScratchOptions { Bits = bits, Anchors = 25, Iterations = 4, Seed = 5, HashFunctions = ScratchHashFunctions.CodeRegression, HashRidge = ridge, HashAnchors = HashAnchors });

    private const int HashAnchors = 40; // the code regression's own map, unlike the model's 25 anchors

    /// <summary>Plain ridge: solve (ΦᵀΦ + λ D) [p; c] = Φ̃ᵀ b per bit by Gaussian elimination, Φ̃ = [φ, 1], D = diag(1..1, 0), λ = ridge x mean diagonal (x 1 when that is ~0).</summary>
    private static (double[] P, double[] C) NaiveFit(double[] phi, int n, int a, sbyte[] b, int bits, double ridge)
    {
        int a1 = a + 1;
        var g = new double[a1, a1];
        var rhs = new double[a1, bits];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < a1; j++)
            {
                double xj = j < a ? phi[i * a + j] : 1;
                for (int k = 0; k < a1; k++) g[j, k] += xj * (k < a ? phi[i * a + k] : 1);
                for (int q = 0; q < bits; q++) rhs[j, q] += xj * b[i * bits + q];
            }
        double trace = 0;
        for (int j = 0; j < a; j++) trace += g[j, j];
        double scale = trace / a > 1e-12 ? trace / a : 1;
        for (int j = 0; j < a; j++) g[j, j] += ridge * scale;
        for (int col = 0; col < a1; col++) // Gauss-Jordan (the system is symmetric positive definite)
        {
            double pivot = g[col, col];
            for (int k = 0; k < a1; k++) g[col, k] /= pivot;
            for (int q = 0; q < bits; q++) rhs[col, q] /= pivot;
            for (int r = 0; r < a1; r++)
            {
                if (r == col) continue;
                double f = g[r, col];
                for (int k = 0; k < a1; k++) g[r, k] -= f * g[col, k];
                for (int q = 0; q < bits; q++) rhs[r, q] -= f * rhs[col, q];
            }
        }
        var p = new double[a * bits];
        var c = new double[bits];
        for (int j = 0; j < a; j++) for (int q = 0; q < bits; q++) p[j * bits + q] = rhs[j, q];
        for (int q = 0; q < bits; q++) c[q] = rhs[a, q];
        return (p, c);
    }

    [Theory]
    [InlineData(1, 7, 0.3)]
    [InlineData(13, 11, 1e-3)]
    [InlineData(70, 67, 0.05)]
    public void AFixedRidgeFitEqualsThePlainNormalEquations(int n, int bits, double ridge)
    {
        var rng = new Random(n * 31 + bits);
        var rows = new FeatureMatrix(n, 3, Enumerable.Range(0, n * 3).Select(_ => rng.NextDouble() * 2 - 1).ToArray());
        var b = Enumerable.Range(0, n * bits).Select(_ => rng.Next(2) == 0 ? (sbyte)-1 : (sbyte)1).ToArray();
        var map = RbfKernelMap.Fit(rows, Math.Min(n, 5), seed: 2);
        CodeRegressionFit fit = CodeRegression.Fit(map, rows, b, bits, ridge);
        var (p, c) = NaiveFit(map.Transform(rows), n, map.AnchorCount, b, bits, ridge);
        Assert.Equal(p.Length, fit.Projection.Length);
        for (int k = 0; k < p.Length; k++) Assert.Equal(p[k], fit.Projection[k], 1e-6 * (1 + Math.Abs(p[k])));
        for (int q = 0; q < bits; q++) Assert.Equal(c[q], fit.Bias[q], 1e-6 * (1 + Math.Abs(c[q])));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(64)]
    [InlineData(70)]
    public void EncodeIsTheSignOfTheKernelProjectionPlusBias(int bits)
    {
        ScratchModel model = Train(bits).Model;
        Assert.Equal(ScratchHashFunctions.CodeRegression, model.HashFunctions);
        foreach (var (rows, map, fit, codes) in new[]
        {
            (Fresh.Image, model.ImageCodeRegression!.Map, model.ImageCodeRegression!, model.EncodeImages(Fresh.Image)),
            (Fresh.Text, model.TextCodeRegression!.Map, model.TextCodeRegression!, model.EncodeTexts(Fresh.Text)),
        })
        {
            Assert.Equal(HashAnchors, map.AnchorCount);
            double[] phi = map.Transform(rows);
            int a = map.AnchorCount, words = model.Layout.WordsPerCode;
            for (int i = 0; i < rows.Rows; i++)
                for (int q = 0; q < bits; q++)
                {
                    double h = fit.Bias[q];
                    for (int j = 0; j < a; j++) h += phi[i * a + j] * fit.Projection[j * bits + q];
                    bool bit = ((codes[i * words + q / 64] >> (q % 64)) & 1) == 1;
                    if (Math.Abs(h) > 1e-9) Assert.Equal(h >= 0, bit);
                }
        }
    }

    [Fact]
    public void TheJointFunctionsStayAvailableAndBIsUnchanged()
    {
        ScratchTrainingResult withRegression = Train(16);
        ScratchTrainingResult joint = ScratchTrainer.Train(Data.Image, Data.Text, Data.Labels,
            new ScratchOptions { Bits = 16, Anchors = 25, Iterations = 4, Seed = 5, HashFunctions = ScratchHashFunctions.Joint });
        Assert.Equal(joint.TrainingCodes, withRegression.TrainingCodes);
        Assert.Equal(joint.Model.EncodeImages(Fresh.Image), withRegression.Model.WithHashFunctions(ScratchHashFunctions.Joint).EncodeImages(Fresh.Image));
        Assert.Throws<InvalidOperationException>(() => joint.Model.WithHashFunctions(ScratchHashFunctions.CodeRegression));
    }

    [Fact]
    public void CrossValidationPicksTheGridEntryWithTheLeastHeldOutError()
    {
        CodeRegressionFit fit = Train(12).Model.TextCodeRegression!;
        Assert.Equal(CodeRegression.DefaultGrid, fit.RidgeGrid);
        Assert.Equal(fit.HeldOutError.Min(), fit.HeldOutError[Array.IndexOf(fit.RidgeGrid, fit.Ridge)]);
        Assert.Equal(fit.HeldOutError[Array.IndexOf(fit.RidgeGrid, fit.Ridge)], fit.HeldOutBitError.Average(), 1e-12);
    }

    [Fact]
    public void TheCrossValidatedFitDoesNotDependOnTheThreadCount()
    {
        ScratchModel model = Train(9).Model;
        sbyte[] b = CodePacking.UnpackSigns(Train(9).TrainingCodes, Data.Image.Rows, 9, model.Layout);
        CodeRegressionFit serial = CodeRegression.Fit(model.ImageCodeRegression!.Map, Data.Image, b, 9, 0, seed: 3, maxDegreeOfParallelism: 1);
        CodeRegressionFit parallel = CodeRegression.Fit(model.ImageCodeRegression!.Map, Data.Image, b, 9, 0, seed: 3, maxDegreeOfParallelism: 4);
        Assert.Equal(serial.HeldOutError, parallel.HeldOutError);
        Assert.Equal(serial.Projection, parallel.Projection);
        Assert.Equal(serial.Bias, parallel.Bias);
    }

    [Fact]
    public void FoldsAreASeededRoundRobinPartition()
    {
        int[] fold = CodeRegression.FoldOf(101, 3, seed: 4);
        Assert.Equal([34, 34, 33], Enumerable.Range(0, 3).Select(f => fold.Count(x => x == f)));
        Assert.Equal(fold, CodeRegression.FoldOf(101, 3, seed: 4));
        Assert.NotEqual(fold, CodeRegression.FoldOf(101, 3, seed: 5));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void ACodeRegressionModelRoundTripsThroughItsFile(double ridge)
    {
        ScratchModel model = Train(24, ridge).Model;
        var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        ScratchModel loaded = ScratchModel.Load(stream);
        Assert.Equal(model.Options, loaded.Options);
        Assert.Equal(model.ImageHashRidge, loaded.ImageHashRidge);
        Assert.Equal(model.TextHashRidge, loaded.TextHashRidge);
        Assert.Equal(HashAnchors, loaded.ImageHashAnchors);
        Assert.Equal(HashAnchors, loaded.TextHashAnchors);
        Assert.Equal(model.Fingerprint, loaded.Fingerprint);
        Assert.Equal(model.EncodeImages(Fresh.Image), loaded.EncodeImages(Fresh.Image));
        Assert.Equal(model.EncodeTexts(Fresh.Text), loaded.EncodeTexts(Fresh.Text));
        Assert.Equal(model.WithHashFunctions(ScratchHashFunctions.Joint).EncodeTexts(Fresh.Text),
            loaded.WithHashFunctions(ScratchHashFunctions.Joint).EncodeTexts(Fresh.Text));
    }

    [Fact]
    public void AVersionOneFileStillLoadsAsAJointModel()
    {
        ScratchModel joint = ScratchTrainer.Train(Data.Image, Data.Text, Data.Labels, new ScratchOptions { Bits = 16, Anchors = 25, Iterations = 3, Seed = 5, HashFunctions = ScratchHashFunctions.Joint }).Model;
        var stream = new MemoryStream();
        joint.Save(stream);
        byte[] v2 = stream.ToArray();
        // Version 1 = version 3 of a joint model without the 17 header bytes of the hash-function fields (i32, f64, bool false, i32).
        int headerLength = BitConverter.ToInt32(v2, 12), v1Header = headerLength - 17;
        var v1 = new List<byte>();
        v1.AddRange(v2[..8]);
        v1.AddRange(BitConverter.GetBytes(1u));
        v1.AddRange(BitConverter.GetBytes((uint)v1Header));
        v1.AddRange(v2.AsSpan(16, v1Header).ToArray());
        v1.AddRange(BitConverter.GetBytes(XxHash3.HashToUInt64(v1.ToArray())));
        v1.AddRange(v2[(16 + headerLength + 8)..]);
        ScratchModel loaded = ScratchModel.Load(new MemoryStream(v1.ToArray()));
        Assert.Equal(ScratchHashFunctions.Joint, loaded.HashFunctions);
        Assert.False(loaded.HasCodeRegression);
        Assert.Equal(joint.EncodeImages(Fresh.Image), loaded.EncodeImages(Fresh.Image));
    }
}
