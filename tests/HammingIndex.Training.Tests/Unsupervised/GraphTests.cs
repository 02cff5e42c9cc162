using FsCheck;
using FsCheck.Fluent;
using HammingIndex.Training.Tests.Scratch;
using HammingIndex.Training.Unsupervised;
using MathNet.Numerics.LinearAlgebra;

namespace HammingIndex.Training.Tests.Unsupervised;

public class GraphTests
{
    private static UnsupervisedOptions Options(int anchors, int neighbours, double threshold, double rho, double w, double eta) => new()
    {
        GraphAnchors = anchors, NearestAnchors = neighbours, GateThreshold = threshold, NeighbourWeight = rho, ImageWeight = w, SecondOrderWeight = eta,
        AnchorIterations = 2, MaxDegreeOfParallelism = 1,
    };

    private static Arbitrary<(int N, int Anchors, int Neighbours, double Threshold, double Rho, double W, double Eta, int Seed)> Shapes() =>
        (from n in Gen.Choose(4, 40)
         from anchors in Gen.Choose(2, 12)
         from neighbours in Gen.Choose(1, 6)
         from threshold in Gen.Elements(-3.0, -0.5, 0.0, 1.0)
         from rho in Gen.Elements(0.0, 0.3, 1.0)
         from w in Gen.Elements(0.0, 0.4, 1.0)
         from eta in Gen.Elements(0.0, 1.0, 3.0)
         from seed in Gen.Choose(0, 10_000)
         select (n, Math.Min(anchors, n), Math.Min(neighbours, Math.Min(anchors, n)), threshold, rho, w, eta, seed)).ToArbitrary();

    [Fact]
    public void AnchorGraphsAreSymmetricNonNegativeWithRowsSummingToOne()
    {
        Prop.ForAll(Shapes(), s =>
        {
            var data = PairedData.Create(s.N, 5, 3, 3, s.Seed);
            AnchorGraph graph = AnchorGraph.Build(data.Image, Options(s.Anchors, s.Neighbours, s.Threshold, s.Rho, s.W, s.Eta), s.Seed);
            double[] a = graph.DenseRows();
            for (int i = 0; i < s.N; i++)
            {
                double sum = 0;
                for (int j = 0; j < s.N; j++)
                {
                    double v = a[i * s.N + j];
                    if (v < 0 || Math.Abs(v - a[j * s.N + i]) > 1e-12) return false;
                    sum += v;
                }
                if (Math.Abs(sum - 1) > 1e-9) return false;
            }
            return graph.KeptEdges >= s.N && graph.KeptEdges <= (long)s.N * s.Neighbours;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void FusedGraphMatchesThePlainDenseConstructionAndIsSymmetricNonNegative()
    {
        Prop.ForAll(Shapes(), s =>
        {
            var data = PairedData.Create(s.N, 5, 3, 3, s.Seed);
            UnsupervisedOptions options = Options(s.Anchors, s.Neighbours, s.Threshold, s.Rho, s.W, s.Eta);
            AnchorGraph gx = AnchorGraph.Build(data.Image, options, s.Seed), gy = AnchorGraph.Build(data.Text, options, s.Seed + 1);
            double[] fast = new FusedGraph(gx, gy, options).Dense();
            Matrix<double> reference = PlainFusedGraph(gx.DenseRows(), gy.DenseRows(), s.N, s.Rho, s.W, s.Eta);
            for (int i = 0; i < s.N; i++)
                for (int j = 0; j < s.N; j++)
                {
                    double v = fast[i * s.N + j];
                    if (v < -1e-12 || Math.Abs(v - fast[j * s.N + i]) > 1e-10) return false;
                    if (Math.Abs(v - reference[i, j]) > 1e-9) return false;
                }
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void EmbeddingHoldsTheLeadingNonTrivialEigenpairsOfTheDenseGraph()
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            int n = 50, k = 4;
            var data = PairedData.Create(n, 6, 4, 4, seed);
            UnsupervisedOptions options = Options(8, 3, -1, 0.5, 0.5, 1);
            AnchorGraph gx = AnchorGraph.Build(data.Image, options, seed), gy = AnchorGraph.Build(data.Text, options, seed + 7);
            var fused = new FusedGraph(gx, gy, options);
            var (factor, eigenvalues) = fused.Embedding(k);
            Matrix<double> dense = Matrix<double>.Build.DenseOfRowMajor(n, n, fused.Dense());
            double[] all = dense.Evd(Symmetricity.Symmetric).EigenValues.Select(e => e.Real).OrderDescending().ToArray();
            Assert.Equal(1.0, all[0], 9); // the trivial eigenvector D^1/2 1
            for (int c = 0; c < k; c++) Assert.Equal(all[c + 1], eigenvalues[c], 9);
            // Columns of F are eigenvectors times sqrt(eigenvalue), all scaled alike: FᵀF ∝ diag(eigenvalues), and Ŝ f = λ f.
            Matrix<double> f = Matrix<double>.Build.DenseOfRowMajor(n, k, factor);
            Matrix<double> ftf = f.TransposeThisAndMultiply(f);
            double scale = ftf[0, 0] / eigenvalues[0];
            for (int a = 0; a < k; a++)
                for (int b = 0; b < k; b++)
                    Assert.Equal(a == b ? scale * eigenvalues[a] : 0, ftf[a, b], 6);
            Matrix<double> sf = dense * f;
            for (int c = 0; c < k; c++)
                for (int i = 0; i < n; i++) Assert.Equal(eigenvalues[c] * f[i, c], sf[i, c], 8);
            Assert.Equal(n, f.FrobeniusNorm() * f.FrobeniusNorm(), 6);
        }
    }

    [Fact]
    public void TheGateKeepsExactlyTheEdgesAtOrAboveTheThresholdAndEachRowsBest()
    {
        // Four rows, three candidate anchors each, most similar first. Mean of the 12 similarities = 0.4125.
        double[] similarity = [0.9, 0.5, 0.1, 0.8, 0.2, 0.1, 0.3, 0.2, 0.1, 0.9, 0.85, 0.0];
        int[] anchor = [0, 1, 2, 1, 2, 0, 2, 0, 1, 3, 0, 1];
        double mean = similarity.Average();
        double std = Math.Sqrt(similarity.Sum(c => (c - mean) * (c - mean)) / similarity.Length);
        const double Sharpness = 2;
        AnchorGraph graph = AnchorGraph.FromCandidates(4, 4, 3, anchor, similarity, threshold: 0, Sharpness);

        // θ = 0 keeps similarities ≥ the mean, plus row 2's best (0.3), which is below it.
        bool[] expected = [true, true, false, true, false, false, true, false, false, true, true, false];
        Assert.Equal(6, graph.KeptEdges);
        Assert.Equal(mean, graph.SimilarityMean, 12);
        Assert.Equal(std, graph.SimilarityStd, 12);
        for (int row = 0; row < 4; row++)
        {
            double total = 0;
            for (int e = 0; e < 3; e++)
                if (expected[row * 3 + e]) total += 1 / (1 + Math.Exp(-Sharpness * (similarity[row * 3 + e] - mean) / std));
            for (int e = 0; e < 3; e++)
            {
                int k = row * 3 + e;
                double want = expected[k] ? 1 / (1 + Math.Exp(-Sharpness * (similarity[k] - mean) / std)) / total : 0;
                Assert.Equal(want, graph.Weight[k], 12);
            }
        }
        // A threshold below every z keeps all twelve; one above every z keeps only the four bests.
        Assert.Equal(12, AnchorGraph.FromCandidates(4, 4, 3, anchor, similarity, threshold: -10, Sharpness).KeptEdges);
        Assert.Equal(4, AnchorGraph.FromCandidates(4, 4, 3, anchor, similarity, threshold: 10, Sharpness).KeptEdges);
    }

    /// <summary>Ŝ built the long way from the dense anchor graphs: rebase, fuse, add the second order, normalise.</summary>
    private static Matrix<double> PlainFusedGraph(double[] ax, double[] ay, int n, double rho, double w, double eta)
    {
        Matrix<double> x = Matrix<double>.Build.DenseOfRowMajor(n, n, ax), y = Matrix<double>.Build.DenseOfRowMajor(n, n, ay);
        Matrix<double> rx = (1 - rho) * x + rho * (x * x), ry = (1 - rho) * y + rho * (y * y);
        Matrix<double> s = w * rx + (1 - w) * ry;
        Matrix<double> full = s + eta * (s * s.Transpose());
        var scale = new double[n];
        for (int i = 0; i < n; i++)
        {
            double degree = full.Row(i).Sum();
            scale[i] = degree > 0 ? 1 / Math.Sqrt(degree) : 0;
        }
        Matrix<double> d = Matrix<double>.Build.DiagonalOfDiagonalArray(scale);
        return d * full * d;
    }
}
