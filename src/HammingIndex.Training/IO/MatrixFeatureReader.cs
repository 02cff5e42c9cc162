using System.Globalization;

namespace HammingIndex.Training.IO;

/// <summary>
/// Serves the rows of a <see cref="FeatureMatrix"/> already in memory through
/// <see cref="IFeatureReader"/>, refusing values that are not finite as the file readers do.
/// </summary>
public sealed class MatrixFeatureReader : IFeatureReader
{
    private readonly FeatureMatrix _matrix;
    private int _next;

    /// <summary>Serves <paramref name="matrix"/>, naming <paramref name="filePath"/> in errors.</summary>
    public MatrixFeatureReader(FeatureMatrix matrix, string filePath)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        _matrix = matrix;
        FilePath = filePath;
    }

    /// <inheritdoc />
    public string FilePath { get; }

    /// <inheritdoc />
    public int Dimension => _matrix.Columns;

    /// <inheritdoc />
    public long? RowCount => _matrix.Rows;

    /// <inheritdoc />
    public long RowsRead => _next;

    /// <inheritdoc />
    public ValueTask<int> ReadAsync(Memory<double> destination, CancellationToken cancellationToken = default)
    {
        if (Dimension == 0) return ValueTask.FromResult(0);
        int max = FeatureReaderArguments.MaxRows(destination, Dimension);
        int n = Math.Min(max, _matrix.Rows - _next);
        ReadOnlySpan<double> source = _matrix.Values.AsSpan(_next * Dimension, n * Dimension);
        CheckFinite(source, Dimension, _next, FilePath);
        source.CopyTo(destination.Span);
        _next += n;
        return ValueTask.FromResult(n);
    }

    /// <summary>Throws naming the first value of <paramref name="values"/> that is not finite (rows numbered from <paramref name="firstRow"/> + 1).</summary>
    internal static void CheckFinite(ReadOnlySpan<double> values, int dimension, long firstRow, string filePath)
    {
        int bad = values.IndexOfAnyExceptInRange(double.MinValue, double.MaxValue);
        if (bad >= 0)
            throw new FeatureFormatException(filePath, firstRow + bad / dimension + 1, bad % dimension + 1,
                $"value {values[bad].ToString(CultureInfo.InvariantCulture)} is not a finite number.");
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
