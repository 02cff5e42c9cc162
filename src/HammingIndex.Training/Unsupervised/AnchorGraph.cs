using System.Numerics.Tensors;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.Unsupervised;

/// <summary>
/// One modality's cosine kNN graph in anchor form (Liu et al., "Hashing with graphs", 2011): rows are
/// centred and scaled to unit length; m anchors are spherical k-means centres of them; row i links
/// to its s most cosine-similar anchors, the <see cref="EdgeGate"/> drops weak links and weighs the
/// rest, and each row of the sparse n x m matrix Z is normalised to sum 1. The row-to-row graph is
/// A = Z Λ⁻¹ Zᵀ with Λ = diag(Zᵀ 1): symmetric, non-negative, rows summing to 1, never materialised.
/// Building costs O(n m d) time and O(n s) memory.
/// </summary>
internal sealed class AnchorGraph
{
    private AnchorGraph(int rows, int anchorCount, int neighbours, int[] anchor, double[] weight, long keptEdges, double mean, double std)
    {
        Rows = rows; AnchorCount = anchorCount; Neighbours = neighbours;
        Anchor = anchor; Weight = weight; KeptEdges = keptEdges;
        SimilarityMean = mean; SimilarityStd = std;
        AnchorDegree = new double[anchorCount];
        for (int k = 0; k < anchor.Length; k++) AnchorDegree[anchor[k]] += weight[k];
        InverseSqrtDegree = new double[anchorCount];
        for (int j = 0; j < anchorCount; j++) InverseSqrtDegree[j] = AnchorDegree[j] > 0 ? 1 / Math.Sqrt(AnchorDegree[j]) : 0;
    }

    /// <summary>n.</summary>
    public int Rows { get; }

    /// <summary>m.</summary>
    public int AnchorCount { get; }

    /// <summary>s: candidate edges per row (kept or gated out).</summary>
    public int Neighbours { get; }

    /// <summary>n x s anchor indices, most similar first in each row.</summary>
    public int[] Anchor { get; }

    /// <summary>n x s entries of Z (0 for a gated-out edge); each row sums to 1.</summary>
    public double[] Weight { get; }

    /// <summary>Λ: Z's column sums.</summary>
    public double[] AnchorDegree { get; }

    /// <summary>Λ^-1/2 (0 for an anchor no row links to).</summary>
    public double[] InverseSqrtDegree { get; }

    /// <summary>Edges the gate kept, over all rows.</summary>
    public long KeptEdges { get; }

    /// <summary>Mean cosine similarity of the candidate edges (the gate's standardisation).</summary>
    public double SimilarityMean { get; }

    /// <summary>Their standard deviation.</summary>
    public double SimilarityStd { get; }

    /// <summary>Builds the graph of <paramref name="features"/> (checked finite by the caller).</summary>
    public static AnchorGraph Build(FeatureMatrix features, UnsupervisedOptions options, int seed)
    {
        int n = features.Rows, d = features.Columns, m = options.GraphAnchors, s = options.NearestAnchors;
        double[] unit = UnitRows(features);
        double[] anchors = InitialAnchors(unit, n, d, m, seed);
        for (int it = 0; it < options.AnchorIterations; it++) anchors = SphericalKMeansStep(unit, n, d, anchors, m, options.MaxDegreeOfParallelism);

        var anchorIndex = new int[(long)n * s];
        var similarity = new double[(long)n * s];
        double[] anchorsT = Transpose(anchors, m, d);
        int chunks = SampleBlocks.ChunkCount(n);
        SampleBlocks.ForEachChunk(chunks, options.MaxDegreeOfParallelism, () => new double[SampleBlocks.BlockRows * m], (chunk, dots) =>
        {
            var (first, end) = SampleBlocks.ChunkBlocks(n, chunks, chunk);
            for (int block = first; block < end; block++)
            {
                var (start, count) = SampleBlocks.BlockRange(n, block);
                MatrixProducts.Multiply(unit.AsSpan(start * d, count * d), anchorsT, dots, count, d, m);
                for (int i = 0; i < count; i++)
                    SelectTop(dots.AsSpan(i * m, m), anchorIndex.AsSpan((start + i) * s, s), similarity.AsSpan((start + i) * s, s));
            }
        });
        return FromCandidates(n, m, s, anchorIndex, similarity, options.GateThreshold, options.GateSharpness);
    }

    /// <summary>
    /// The graph from given candidate edges (n x s anchors and cosine similarities, most similar first
    /// per row): standardise, gate, normalise rows. Used by <see cref="Build"/> and by hand-made tests.
    /// </summary>
    public static AnchorGraph FromCandidates(int n, int m, int s, int[] anchorIndex, double[] similarity, double threshold, double sharpness)
    {
        var (mean, std) = EdgeGate.Standardisation(similarity);
        var weight = new double[similarity.Length];
        long kept = 0;
        for (int i = 0; i < n; i++)
        {
            Span<double> w = weight.AsSpan(i * s, s);
            kept += EdgeGate.Apply(similarity.AsSpan(i * s, s), mean, std, threshold, sharpness, w);
            double sum = TensorPrimitives.Sum<double>(w);
            TensorPrimitives.Divide(w, sum, w);
        }
        return new AnchorGraph(n, m, s, anchorIndex, weight, kept, mean, std);
    }

    /// <summary>Row i of A = Z Λ⁻¹ Zᵀ as a dense vector (tests and small references only).</summary>
    public double[] DenseRows()
    {
        int n = Rows, s = Neighbours;
        var a = new double[(long)n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < s; p++)
                    for (int q = 0; q < s; q++)
                    {
                        int anchor = Anchor[i * s + p];
                        if (anchor == Anchor[j * s + q] && AnchorDegree[anchor] > 0)
                            sum += Weight[i * s + p] * Weight[j * s + q] / AnchorDegree[anchor];
                    }
                a[(long)i * n + j] = sum;
            }
        return a;
    }

    /// <summary>Rows centred by their mean and scaled to unit length (an all-zero centred row stays zero).</summary>
    private static double[] UnitRows(FeatureMatrix features)
    {
        int n = features.Rows, d = features.Columns;
        var mean = new double[d];
        for (int i = 0; i < n; i++) TensorPrimitives.Add(mean, features.Row(i), mean);
        TensorPrimitives.Divide(mean, n, mean);
        var unit = new double[(long)n * d];
        for (int i = 0; i < n; i++)
        {
            Span<double> row = unit.AsSpan(i * d, d);
            TensorPrimitives.Subtract(features.Row(i), mean, row);
            double norm = TensorPrimitives.Norm(row);
            if (norm > 0) TensorPrimitives.Divide(row, norm, row);
        }
        return unit;
    }

    private static double[] InitialAnchors(double[] unit, int n, int d, int m, int seed)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var random = new Random(seed);
        for (int i = 0; i < m; i++)
        {
            int j = random.Next(i, n);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var anchors = new double[m * d];
        for (int j = 0; j < m; j++) unit.AsSpan(order[j] * d, d).CopyTo(anchors.AsSpan(j * d, d));
        return anchors;
    }

    /// <summary>One spherical k-means step: each anchor becomes the normalised sum of the rows most similar to it (an empty one stays).</summary>
    private static double[] SphericalKMeansStep(double[] unit, int n, int d, double[] anchors, int m, int maxDegreeOfParallelism)
    {
        double[] anchorsT = Transpose(anchors, m, d);
        int chunks = Math.Min(SampleBlocks.ChunkCount(n), 8);
        var sums = new double[chunks][];
        var counts = new int[chunks][];
        SampleBlocks.ForEachChunk(chunks, maxDegreeOfParallelism, () => new double[SampleBlocks.BlockRows * m], (chunk, dots) =>
        {
            var sum = sums[chunk] = new double[m * d];
            var count = counts[chunk] = new int[m];
            var (first, end) = SampleBlocks.ChunkBlocks(n, chunks, chunk);
            for (int block = first; block < end; block++)
            {
                var (start, rows) = SampleBlocks.BlockRange(n, block);
                MatrixProducts.Multiply(unit.AsSpan(start * d, rows * d), anchorsT, dots, rows, d, m);
                for (int i = 0; i < rows; i++)
                {
                    int best = TensorPrimitives.IndexOfMax<double>(dots.AsSpan(i * m, m));
                    count[best]++;
                    Span<double> target = sum.AsSpan(best * d, d);
                    TensorPrimitives.Add(target, unit.AsSpan((start + i) * d, d), target);
                }
            }
        });
        var next = (double[])anchors.Clone();
        var centre = new double[d];
        for (int j = 0; j < m; j++)
        {
            centre.AsSpan().Clear();
            int total = 0;
            for (int c = 0; c < chunks; c++)
            {
                total += counts[c][j];
                TensorPrimitives.Add(centre, sums[c].AsSpan(j * d, d), centre);
            }
            double norm = TensorPrimitives.Norm<double>(centre);
            if (total == 0 || norm == 0) continue;
            TensorPrimitives.Divide(centre, norm, next.AsSpan(j * d, d));
        }
        return next;
    }

    /// <summary>The s largest entries of <paramref name="dots"/>, largest first (ties: lower anchor first).</summary>
    private static void SelectTop(ReadOnlySpan<double> dots, Span<int> index, Span<double> value)
    {
        int s = index.Length, filled = 0;
        for (int j = 0; j < dots.Length; j++)
        {
            double v = dots[j];
            if (filled == s && !(v > value[s - 1])) continue;
            int p = filled < s ? filled++ : s - 1;
            while (p > 0 && v > value[p - 1])
            {
                value[p] = value[p - 1];
                index[p] = index[p - 1];
                p--;
            }
            value[p] = v;
            index[p] = j;
        }
    }

    private static double[] Transpose(double[] m, int rows, int columns)
    {
        var t = new double[m.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) t[j * rows + i] = m[i * columns + j];
        return t;
    }
}
