using System.Numerics;
using FsCheck.Xunit;
using HammingIndex.Codes;
using HammingIndex.Training.Evaluation;

namespace HammingIndex.Training.Tests.Evaluation;

public sealed class BaselineTests
{
    private static FeatureMatrix Gaussian(Random rng, int rows, int columns, double offset = 0)
    {
        var m = new FeatureMatrix(rows, columns);
        for (int i = 0; i < m.Values.Length; i++)
            m.Values[i] = offset + Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return m;
    }

    [Fact]
    public void LshIsSeededAndKeepsPaddingZero()
    {
        var data = Gaussian(new Random(3), 50, 12);
        ulong[] a = RandomHyperplaneLsh.Fit(data, 65, seed: 1).Encode(data);
        ulong[] b = RandomHyperplaneLsh.Fit(data, 65, seed: 1).Encode(data);
        ulong[] c = RandomHyperplaneLsh.Fit(data, 65, seed: 2).Encode(data);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(50, new CodeLayout(65).ValidateCodes(a));
    }

    [Fact]
    public void LshCentresOnTheTrainingMean()
    {
        // Data far from the origin: without centring every code would be nearly the same.
        var data = Gaussian(new Random(4), 200, 8, offset: 100);
        var lsh = RandomHyperplaneLsh.Fit(data, 64, seed: 5);
        var mean = new FeatureMatrix(1, 8);
        for (int r = 0; r < data.Rows; r++)
            for (int c = 0; c < 8; c++) mean[0, c] += data[r, c];
        for (int c = 0; c < 8; c++) mean[0, c] /= data.Rows; // summed then divided, as Fit does: bit-identical
        // The mean projects to exactly 0 on every plane: sign(0) = +1, so every bit is set.
        Assert.Equal(ulong.MaxValue, lsh.Encode(mean)[0]);
        // Balanced bits: each bit is set for roughly half the rows (binomial(200, 1/2): 6 sigma = 42).
        ulong[] codes = lsh.Encode(data);
        for (int bit = 0; bit < 64; bit++)
            Assert.InRange(codes.Count(code => (code >> bit & 1) != 0), 100 - 42, 100 + 42);
    }

    [Property(MaxTest = 20)]
    public void LshHammingDistanceEstimatesTheAngle(int seed)
    {
        // Charikar: P[bit differs] = angle / pi. With 4,096 bits the standard error is < 0.008.
        var rng = new Random(seed);
        var data = Gaussian(rng, 2, 10);
        var lsh = RandomHyperplaneLsh.Fit(new FeatureMatrix(1, 10), 4096, seed); // mean 0: no shift
        ulong[] codes = lsh.Encode(data);
        int d = 0;
        for (int w = 0; w < 64; w++) d += BitOperations.PopCount(codes[w] ^ codes[64 + w]);
        ReadOnlySpan<double> x = data.Row(0), y = data.Row(1);
        double dot = 0, nx = 0, ny = 0;
        for (int i = 0; i < 10; i++) { dot += x[i] * y[i]; nx += x[i] * x[i]; ny += y[i] * y[i]; }
        double angle = Math.Acos(Math.Clamp(dot / Math.Sqrt(nx * ny), -1, 1));
        Assert.InRange(d / 4096.0, angle / Math.PI - 0.05, angle / Math.PI + 0.05);
    }

    [Fact]
    public void LshRefusesBadInput()
    {
        var data = new FeatureMatrix(3, 4);
        Assert.Equal(4, Assert.Throws<ArgumentOutOfRangeException>(() => RandomHyperplaneLsh.Fit(data, 4, 0)).ActualValue);
        Assert.Contains("0 x 4", Assert.Throws<ArgumentException>(() => RandomHyperplaneLsh.Fit(new FeatureMatrix(0, 4), 8, 0)).Message);
        var e = Assert.Throws<ArgumentException>(() => RandomHyperplaneLsh.Fit(data, 8, 0).Encode(new FeatureMatrix(1, 5)));
        Assert.Contains("expects 4 features per row, but the matrix has 5", e.Message);
    }

    [Fact]
    public void CosineHandComputedCaseWithTies()
    {
        // query (1, 0) {A}; database: db0 (1, 0) {B}, db1 (2, 0) {A}, db2 (0, 1) {A}, db3 (-1, 0) {A}, db4 (0, 0) {B}
        // cosines 1, 1, 0, -1, 0 (zero vector: 0) -> ranking db0, db1 (tie: lower index), db2, db4 (tie), db3
        // relevant 0, 1, 1, 0, 1 -> AP = (1/2 + 2/3 + 3/5) / 3 = 53/90; AP@3 = (1/2 + 2/3) / 2 = 7/12
        // P@1..5 = 0, 1/2, 2/3, 2/4, 3/5
        var query = new FeatureMatrix(1, 2, [1, 0]);
        var database = new FeatureMatrix(5, 2, [1, 0, 2, 0, 0, 1, -1, 0, 0, 0]);
        var ql = LabelSet.FromLists([[0]], 2);
        var dl = LabelSet.FromLists([[1], [0], [0], [0], [1]], 2);
        RankingReport report = CosineRetrieval.Evaluate(query, database, ql, dl, new RetrievalOptions { MapCutoff = 3 });
        Assert.Equal(53.0 / 90, report.Map, 12);
        Assert.Equal(7.0 / 12, report.MapAtR, 12);
        double[] expected = [0, 1.0 / 2, 2.0 / 3, 2.0 / 4, 3.0 / 5];
        for (int i = 0; i < 5; i++) Assert.Equal(expected[i], report.PrecisionAtN[i], 12);
    }

    [Property(MaxTest = 30)]
    public void CosineOnPlusMinusOneVectorsRanksLikeHamming(int seed)
    {
        // For +-1 vectors of b bits, cosine = 1 - 2 d / b: the same ranking as Hamming distance d,
        // so the two evaluations must agree exactly.
        var rng = new Random(seed);
        const int Bits = 16;
        int nq = rng.Next(1, 20), n = rng.Next(1, 120);
        ulong[] Codes(int count) => Enumerable.Range(0, count).Select(_ => (ulong)rng.Next(1 << Bits) & (ulong)rng.Next(1 << Bits)).ToArray();
        FeatureMatrix Signs(ulong[] codes)
        {
            var m = new FeatureMatrix(codes.Length, Bits);
            for (int i = 0; i < codes.Length; i++)
                for (int b = 0; b < Bits; b++) m[i, b] = (codes[i] >> b & 1) != 0 ? 1 : -1;
            return m;
        }
        LabelSet Labels(int count) => LabelSet.FromClasses(Enumerable.Range(0, count).Select(_ => rng.Next(4)).ToArray(), 4);
        ulong[] q = Codes(nq), db = Codes(n);
        LabelSet ql = Labels(nq), dl = Labels(n);
        var options = new RetrievalOptions { MapCutoff = rng.Next(1, 150), PrecisionCurveLength = 100 };
        RetrievalReport hamming = RetrievalMetrics.Evaluate(q, db, Bits, ql, dl, options);
        RankingReport cosine = CosineRetrieval.Evaluate(Signs(q), Signs(db), ql, dl, options);
        Assert.Equal(hamming.Map, cosine.Map, 12);
        Assert.Equal(hamming.MapAtR, cosine.MapAtR, 12);
        Assert.Equal(hamming.PrecisionAtN.Length, cosine.PrecisionAtN.Length);
        for (int i = 0; i < hamming.PrecisionAtN.Length; i++) Assert.Equal(hamming.PrecisionAtN[i], cosine.PrecisionAtN[i], 12);
    }

    [Fact]
    public void CosineRefusesDifferentSpaces()
    {
        var e = Assert.Throws<ArgumentException>(() => CosineRetrieval.Evaluate(new FeatureMatrix(1, 3), new FeatureMatrix(2, 4),
            LabelSet.FromClasses([0], 2), LabelSet.FromClasses([0, 1], 2)));
        Assert.Contains("Queries have 3 features, the database 4", e.Message);
    }
}
