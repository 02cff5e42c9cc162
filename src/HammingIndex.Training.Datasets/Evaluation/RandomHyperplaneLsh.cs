using HammingIndex.Codes;
using HammingIndex.Training.Scratch;
using MathNet.Numerics.Distributions;

namespace HammingIndex.Training.Evaluation;

/// <summary>
/// Random-hyperplane LSH (Charikar 2002) for one modality: code bit i = [w_i . (x - mean) &gt;= 0]
/// with w_i drawn i.i.d. standard Gaussian from a seeded generator and the mean taken over the
/// training rows. Within a modality it approximates angular distance; across modalities (two
/// independent projections of unrelated feature spaces) it is the chance level of cross-modal
/// retrieval.
/// </summary>
public sealed class RandomHyperplaneLsh
{
    private readonly double[] _mean;
    private readonly double[] _planes; // bits x dimensions, row-major

    private RandomHyperplaneLsh(int bits, double[] mean, double[] planes)
    {
        Layout = new CodeLayout(bits);
        _mean = mean;
        _planes = planes;
    }

    /// <summary>The layout of the codes this hasher writes.</summary>
    public CodeLayout Layout { get; }

    /// <summary>Feature dimension the hasher expects.</summary>
    public int Dimensions => _mean.Length;

    /// <summary>
    /// Draws <paramref name="bits"/> hyperplanes for the features of <paramref name="training"/>
    /// (from which only the column means are taken), reproducibly from <paramref name="seed"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is outside 8..4096.</exception>
    /// <exception cref="ArgumentException"><paramref name="training"/> has no rows or columns.</exception>
    public static RandomHyperplaneLsh Fit(FeatureMatrix training, int bits, int seed)
    {
        ArgumentNullException.ThrowIfNull(training);
        var layout = new CodeLayout(bits);
        if (training.Rows == 0 || training.Columns == 0)
            throw new ArgumentException($"The training matrix is {training.Rows} x {training.Columns}; LSH needs at least one row and one column.", nameof(training));
        var mean = new double[training.Columns];
        for (int r = 0; r < training.Rows; r++)
        {
            ReadOnlySpan<double> row = training.Row(r);
            for (int c = 0; c < mean.Length; c++) mean[c] += row[c];
        }
        for (int c = 0; c < mean.Length; c++) mean[c] /= training.Rows;
        var planes = new double[layout.Bits * training.Columns];
        Normal.Samples(new Random(seed), planes, 0, 1);
        return new RandomHyperplaneLsh(bits, mean, planes);
    }

    /// <summary>Encodes every row of <paramref name="features"/>: returns Rows x WordsPerCode packed codes.</summary>
    /// <exception cref="ArgumentException">The column count is not <see cref="Dimensions"/>.</exception>
    public ulong[] Encode(FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Columns != Dimensions)
            throw new ArgumentException($"The hasher expects {Dimensions} features per row, but the matrix has {features.Columns}.", nameof(features));
        int bits = Layout.Bits, words = Layout.WordsPerCode, d = Dimensions;
        var codes = new ulong[(long)features.Rows * words];
        Parallel.For(0, features.Rows, () => (new double[d], new double[bits]), (r, _, buffers) =>
        {
            (double[] centred, double[] projections) = buffers;
            ReadOnlySpan<double> row = features.Row(r);
            for (int c = 0; c < d; c++) centred[c] = row[c] - _mean[c];
            for (int b = 0; b < bits; b++)
                projections[b] = System.Numerics.Tensors.TensorPrimitives.Dot(_planes.AsSpan(b * d, d), centred);
            CodePacking.PackSigns(projections, 1, bits, Layout, codes.AsSpan(r * words, words));
            return buffers;
        }, _ => { });
        return codes;
    }
}
