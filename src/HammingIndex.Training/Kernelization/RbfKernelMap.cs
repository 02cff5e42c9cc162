using System.Numerics.Tensors;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.Kernelization;

/// <summary>
/// The RBF (Gaussian) kernel feature map of SCRATCH: a raw row x is centred by the training mean m,
/// compared with a anchors c_j (centred training rows), and mapped to
/// phi_j(x) = exp(-|x - m - c_j|² / (2 σ)) - f_j, where σ is the mean squared distance between the
/// training rows and the anchors and f is the training mean of phi (so training features are
/// centred). Fit once on the training rows; <see cref="Transform(FeatureMatrix)"/> maps new rows.
/// </summary>
public sealed class RbfKernelMap
{
    private readonly double[] _inputMean;   // d
    private readonly double[] _anchors;     // a x d, centred coordinates
    private readonly double[] _anchorsT;    // d x a (for the row-block product)
    private readonly double[] _anchorNorms; // a
    private readonly double[] _featureMean; // a

    /// <summary>Creates a map from its fitted parts (used by fitting and model loading).</summary>
    internal RbfKernelMap(double[] inputMean, double[] anchors, int anchorCount, double sigma, double[] featureMean)
    {
        int d = inputMean.Length;
        if (anchorCount < 1 || anchors.Length != (long)anchorCount * d)
            throw new ArgumentException($"Anchors hold {anchors.Length} values, not {anchorCount} x {d}.", nameof(anchors));
        if (featureMean.Length != anchorCount)
            throw new ArgumentException($"Feature mean has {featureMean.Length} values, not {anchorCount}.", nameof(featureMean));
        if (!(sigma > 0) || !double.IsFinite(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The kernel width must be positive and finite.");
        _inputMean = inputMean;
        _anchors = anchors;
        _featureMean = featureMean;
        AnchorCount = anchorCount;
        Sigma = sigma;
        _anchorsT = new double[anchors.Length];
        _anchorNorms = new double[anchorCount];
        for (int j = 0; j < anchorCount; j++)
        {
            ReadOnlySpan<double> c = anchors.AsSpan(j * d, d);
            _anchorNorms[j] = TensorPrimitives.Dot(c, c);
            for (int k = 0; k < d; k++) _anchorsT[k * anchorCount + j] = c[k];
        }
    }

    /// <summary>Number of raw features per input row.</summary>
    public int InputDimension => _inputMean.Length;

    /// <summary>Number of anchors = number of kernel features per row.</summary>
    public int AnchorCount { get; }

    /// <summary>σ: the mean squared distance from the training rows to the anchors; phi = exp(-D / (2σ)).</summary>
    public double Sigma { get; }

    /// <summary>The training mean of the raw features (subtracted before anything else).</summary>
    public ReadOnlySpan<double> InputMean => _inputMean;

    /// <summary>The anchors in centred coordinates, row-major (<see cref="AnchorCount"/> x <see cref="InputDimension"/>).</summary>
    public ReadOnlySpan<double> Anchors => _anchors;

    /// <summary>The training mean of the uncentred kernel features (subtracted from every output).</summary>
    public ReadOnlySpan<double> FeatureMean => _featureMean;

    /// <summary>
    /// Fits the map on <paramref name="training"/>: centres by its mean, draws
    /// <paramref name="anchorCount"/> anchors among its rows without replacement (seeded), optionally
    /// refines them by k-means, then computes σ and the feature mean over the training rows.
    /// </summary>
    /// <param name="training">Training rows (one sample per row).</param>
    /// <param name="anchorCount">Number of anchors, 1..training.Rows.</param>
    /// <param name="seed">Seed of the anchor draw.</param>
    /// <param name="selection">Random rows (default) or k-means centres.</param>
    /// <param name="kMeansIterations">Lloyd iterations when <paramref name="selection"/> is <see cref="AnchorSelection.KMeans"/>.</param>
    /// <param name="maxDegreeOfParallelism">Worker threads; 0 or less means all cores.</param>
    /// <exception cref="ArgumentNullException"><paramref name="training"/> is null.</exception>
    /// <exception cref="ArgumentException">A NaN or infinite feature (the message names row and column), or no columns.</exception>
    /// <exception cref="ArgumentOutOfRangeException">More anchors than rows, or fewer than one.</exception>
    public static RbfKernelMap Fit(FeatureMatrix training, int anchorCount, int seed,
        AnchorSelection selection = AnchorSelection.Random, int kMeansIterations = 10, int maxDegreeOfParallelism = 0) =>
        Fit(training, anchorCount, seed, selection, kMeansIterations, maxDegreeOfParallelism, nameof(training));

    internal static RbfKernelMap Fit(FeatureMatrix training, int anchorCount, int seed, AnchorSelection selection,
        int kMeansIterations, int maxDegreeOfParallelism, string paramName)
    {
        ArgumentNullException.ThrowIfNull(training, paramName);
        int n = training.Rows, d = training.Columns;
        if (d < 1) throw new ArgumentException("Features need at least one column.", paramName);
        if (anchorCount < 1 || anchorCount > n)
            throw new ArgumentOutOfRangeException(nameof(anchorCount), anchorCount, $"The anchor count must be between 1 and the number of training rows ({n}).");
        if (kMeansIterations < 0)
            throw new ArgumentOutOfRangeException(nameof(kMeansIterations), kMeansIterations, "Must not be negative.");
        training.ThrowIfNotFinite(paramName);
        ReadOnlySpan<double> x = training.Values.AsSpan();

        var mean = new double[d];
        for (int i = 0; i < n; i++) TensorPrimitives.Add(mean, x.Slice(i * d, d), mean);
        TensorPrimitives.Divide(mean, n, mean);

        // Partial Fisher-Yates: the first anchorCount entries are a uniform draw without replacement.
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var random = new Random(seed);
        for (int i = 0; i < anchorCount; i++)
        {
            int j = random.Next(i, n);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var anchors = new double[anchorCount * d];
        for (int j = 0; j < anchorCount; j++)
            TensorPrimitives.Subtract(x.Slice(order[j] * d, d), mean, anchors.AsSpan(j * d, d));

        var unit = new double[anchorCount];
        if (selection == AnchorSelection.KMeans)
        {
            for (int it = 0; it < kMeansIterations; it++)
                anchors = new RbfKernelMap(mean, anchors, anchorCount, 1, unit).KMeansStep(training, maxDegreeOfParallelism);
        }

        // σ = mean of the squared distances over the training set.
        var probe = new RbfKernelMap(mean, anchors, anchorCount, 1, unit);
        double[] distanceSums = probe.SumOverTraining(training, KernelStage.SquaredDistances, maxDegreeOfParallelism);
        double sigma = TensorPrimitives.Sum<double>(distanceSums) / ((double)n * anchorCount);
        if (!(sigma > 0)) sigma = 1; // every row equals every anchor: any width gives phi = 1.

        var uncentred = new RbfKernelMap(mean, anchors, anchorCount, sigma, unit);
        double[] featureMean = uncentred.SumOverTraining(training, KernelStage.UncentredFeatures, maxDegreeOfParallelism);
        TensorPrimitives.Divide(featureMean, n, featureMean);
        return new RbfKernelMap(mean, anchors, anchorCount, sigma, featureMean);
    }

    /// <summary>Maps <paramref name="rows"/> to kernel features: a new rows x <see cref="AnchorCount"/> row-major array.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentException">Wrong column count, or a NaN or infinite value.</exception>
    public double[] Transform(FeatureMatrix rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var result = new double[(long)rows.Rows * AnchorCount];
        Transform(rows, result);
        return result;
    }

    /// <summary>Maps <paramref name="rows"/> to kernel features, written row-major into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentException">Wrong column count, a NaN or infinite value, or a destination shorter than rows x <see cref="AnchorCount"/>.</exception>
    public void Transform(FeatureMatrix rows, Memory<double> destination, int maxDegreeOfParallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(rows);
        CheckRows(rows, nameof(rows));
        if (destination.Length < (long)rows.Rows * AnchorCount)
            throw new ArgumentException($"Destination holds {destination.Length} values; {rows.Rows} x {AnchorCount} are needed.", nameof(destination));
        int n = rows.Rows, a = AnchorCount, d = InputDimension;
        if (n == 0) return;
        int chunks = SampleBlocks.ChunkCount(n);
        SampleBlocks.ForEachChunk(chunks, maxDegreeOfParallelism, () => new KernelWorkspace(d), (chunk, ws) =>
        {
            var (first, end) = SampleBlocks.ChunkBlocks(n, chunks, chunk);
            for (int b = first; b < end; b++)
            {
                var (start, count) = SampleBlocks.BlockRange(n, b);
                TransformBlock(rows.Values.AsSpan(start * d, count * d), count, destination.Span.Slice(start * a, count * a), ws, KernelStage.Features);
            }
        });
    }

    /// <summary>Checks the column count and finiteness of rows to be mapped.</summary>
    internal void CheckRows(FeatureMatrix rows, string paramName)
    {
        if (rows.Columns != InputDimension)
            throw new ArgumentException($"Rows have {rows.Columns} columns, but the map was fitted on {InputDimension}.", paramName);
        rows.ThrowIfNotFinite(paramName);
    }

    /// <summary>
    /// Maps <paramref name="count"/> raw rows (row-major) into <paramref name="destination"/>
    /// (count x a, overwritten) up to <paramref name="stage"/>. Single-threaded.
    /// </summary>
    internal void TransformBlock(ReadOnlySpan<double> rows, int count, Span<double> destination, KernelWorkspace workspace, KernelStage stage)
    {
        int d = InputDimension, a = AnchorCount;
        Span<double> centred = workspace.Centred(count);
        for (int i = 0; i < count; i++)
            TensorPrimitives.Subtract(rows.Slice(i * d, d), _inputMean, centred.Slice(i * d, d));
        Span<double> dest = destination.Slice(0, count * a);
        MatrixProducts.Multiply(centred, _anchorsT, dest, count, d, a);
        double scale = -1.0 / (2 * Sigma);
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<double> xi = centred.Slice(i * d, d);
            Span<double> row = dest.Slice(i * a, a);
            double norm = TensorPrimitives.Dot(xi, xi);
            // D = |x|² + |c|² - 2 x·c, clamped at zero against rounding.
            TensorPrimitives.MultiplyAdd(row, -2.0, _anchorNorms, row);
            TensorPrimitives.Add(row, norm, row);
            TensorPrimitives.Max(row, 0.0, row);
            if (stage == KernelStage.SquaredDistances) continue;
            TensorPrimitives.Multiply(row, scale, row);
            TensorPrimitives.Exp(row, row);
            if (stage == KernelStage.Features)
                TensorPrimitives.Subtract(row, _featureMean, row);
        }
    }

    /// <summary>Column sums over the training rows of the given stage (squared distances or uncentred features).</summary>
    private double[] SumOverTraining(FeatureMatrix training, KernelStage stage, int maxDegreeOfParallelism)
    {
        int n = training.Rows, a = AnchorCount, d = InputDimension;
        int chunks = SampleBlocks.ChunkCount(n);
        var partial = new double[chunks * a];
        SampleBlocks.ForEachChunk(chunks, maxDegreeOfParallelism, () => (Work: new KernelWorkspace(d), Block: new double[SampleBlocks.BlockRows * a]), (chunk, ws) =>
        {
            Span<double> sums = partial.AsSpan(chunk * a, a);
            var (first, end) = SampleBlocks.ChunkBlocks(n, chunks, chunk);
            for (int b = first; b < end; b++)
            {
                var (start, count) = SampleBlocks.BlockRange(n, b);
                TransformBlock(training.Values.AsSpan(start * d, count * d), count, ws.Block, ws.Work, stage);
                for (int i = 0; i < count; i++) TensorPrimitives.Add(sums, ws.Block.AsSpan(i * a, a), sums);
            }
        });
        var total = new double[a];
        for (int c = 0; c < chunks; c++) TensorPrimitives.Add(total, partial.AsSpan(c * a, a), total);
        return total;
    }

    /// <summary>One Lloyd iteration: each anchor moves to the mean of the centred rows nearest to it (empty clusters stay).</summary>
    private double[] KMeansStep(FeatureMatrix training, int maxDegreeOfParallelism)
    {
        int n = training.Rows, a = AnchorCount, d = InputDimension;
        int chunks = SampleBlocks.ChunkCount(n);
        var sums = new double[chunks][];
        var counts = new long[chunks][];
        SampleBlocks.ForEachChunk(chunks, maxDegreeOfParallelism, () => (Work: new KernelWorkspace(d), Block: new double[SampleBlocks.BlockRows * a]), (chunk, ws) =>
        {
            var s = sums[chunk] = new double[a * d];
            var cnt = counts[chunk] = new long[a];
            var (first, end) = SampleBlocks.ChunkBlocks(n, chunks, chunk);
            for (int b = first; b < end; b++)
            {
                var (start, count) = SampleBlocks.BlockRange(n, b);
                TransformBlock(training.Values.AsSpan(start * d, count * d), count, ws.Block, ws.Work, KernelStage.SquaredDistances);
                for (int i = 0; i < count; i++)
                {
                    int nearest = TensorPrimitives.IndexOfMin<double>(ws.Block.AsSpan(i * a, a));
                    cnt[nearest]++;
                    Span<double> target = s.AsSpan(nearest * d, d);
                    TensorPrimitives.Add(target, training.Row(start + i), target);
                    TensorPrimitives.Subtract(target, _inputMean, target);
                }
            }
        });
        var next = (double[])_anchors.Clone();
        for (int j = 0; j < a; j++)
        {
            long total = 0;
            for (int c = 0; c < chunks; c++) total += counts[c][j];
            if (total == 0) continue;
            Span<double> centre = next.AsSpan(j * d, d);
            centre.Clear();
            for (int c = 0; c < chunks; c++) TensorPrimitives.Add(centre, sums[c].AsSpan(j * d, d), centre);
            TensorPrimitives.Divide(centre, total, centre);
        }
        return next;
    }
}

/// <summary>How far <see cref="RbfKernelMap.TransformBlock"/> goes.</summary>
internal enum KernelStage
{
    SquaredDistances,
    UncentredFeatures,
    Features,
}

/// <summary>Per-worker scratch memory of <see cref="RbfKernelMap"/>.</summary>
internal sealed class KernelWorkspace(int inputDimension)
{
    private readonly double[] _centred = new double[SampleBlocks.BlockRows * inputDimension];

    public Span<double> Centred(int rows) => _centred.AsSpan(0, rows * inputDimension);
}
