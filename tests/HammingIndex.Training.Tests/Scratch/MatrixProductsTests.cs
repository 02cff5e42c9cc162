using FsCheck;
using FsCheck.Fluent;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.Tests.Scratch;

public class MatrixProductsTests
{
    private static Arbitrary<(int M, int K, int N, int Seed)> Shapes() =>
        (from m in Gen.Choose(0, 41)
         from k in Gen.Choose(0, 300)
         from n in Gen.Choose(0, 75)
         from seed in Gen.Choose(0, 1000)
         select (m, k, n, seed)).ToArbitrary();

    [Fact]
    public void ProductOfAMatrixAndItsStridedTransposeMatchesTheDefinition()
    {
        Prop.ForAll(Shapes(), s =>
        {
            var random = new Random(s.Seed);
            // A stored k x m (so Aᵀ is read with row stride 1, k stride m) and m x k.
            double[] a = PairedData.Gaussian(random, s.M * s.K), b = PairedData.Gaussian(random, s.K * s.N);
            double[] start = PairedData.Gaussian(random, s.M * s.N);
            var direct = (double[])start.Clone();
            MatrixProducts.MultiplyAdd(a, s.K, 1, b, s.N, direct, s.N, s.M, s.K, s.N);
            var transposed = (double[])start.Clone();
            var aT = new double[a.Length];
            for (int i = 0; i < s.M; i++)
                for (int p = 0; p < s.K; p++) aT[p * s.M + i] = a[i * s.K + p];
            MatrixProducts.TransposeMultiplyAdd(aT, b, transposed, s.M, s.K, s.N);
            for (int i = 0; i < s.M; i++)
                for (int j = 0; j < s.N; j++)
                {
                    double expected = start[i * s.N + j];
                    for (int p = 0; p < s.K; p++) expected += a[i * s.K + p] * b[p * s.N + j];
                    double tolerance = 1e-12 * (1 + s.K);
                    if (Math.Abs(direct[i * s.N + j] - expected) > tolerance || Math.Abs(transposed[i * s.N + j] - expected) > tolerance)
                        return false;
                }
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void EveryVectorWidthGivesTheScalarProductExactly()
    {
        // Each path sums an element in the same order with fused multiply-adds, so the results agree
        // bit for bit; shapes cover the wide tiles, the one-vector tiles and the scalar edges of each width.
        Prop.ForAll(Shapes(), s =>
        {
            var random = new Random(s.Seed);
            double[] a = PairedData.Gaussian(random, s.M * s.K), b = PairedData.Gaussian(random, s.K * s.N);
            double[] start = PairedData.Gaussian(random, s.M * s.N);
            var scalar = (double[])start.Clone();
            MatrixProducts.MultiplyAdd(a, 1, s.M, b, s.N, scalar, s.N, s.M, s.K, s.N, MatrixProducts.ProductPath.Scalar);
            foreach (MatrixProducts.ProductPath path in Enum.GetValues<MatrixProducts.ProductPath>())
            {
                var actual = (double[])start.Clone();
                MatrixProducts.MultiplyAdd(a, 1, s.M, b, s.N, actual, s.N, s.M, s.K, s.N, path);
                if (!actual.AsSpan().SequenceEqual(scalar)) return false;
            }
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ParallelProductEqualsTheSequentialOneExactly()
    {
        var random = new Random(5);
        int m = 101, k = 67, n = 19;
        double[] a = PairedData.Gaussian(random, m * k), b = PairedData.Gaussian(random, k * n);
        var sequential = new double[m * n];
        var parallel = new double[m * n];
        MatrixProducts.Multiply(a, b, sequential, m, k, n);
        MatrixProducts.MultiplyParallel(a, b, parallel, m, k, n, 2);
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void ShortOperandsAreRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => MatrixProducts.MultiplyAdd(new double[5], 3, 1, new double[6], 2, new double[4], 2, 2, 3, 2));
        Assert.Equal("a", ex.ParamName);
    }
}
