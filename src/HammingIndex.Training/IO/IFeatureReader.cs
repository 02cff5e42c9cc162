namespace HammingIndex.Training.IO;

/// <summary>
/// Reads a file of feature vectors (one row per item, all rows of one dimension) block by block,
/// so a file larger than memory can be encoded or imported without loading it whole.
/// </summary>
/// <remarks>Not thread-safe: one consumer reads the rows in order.</remarks>
public interface IFeatureReader : IAsyncDisposable
{
    /// <summary>The file being read.</summary>
    string FilePath { get; }

    /// <summary>Number of values per row (known once the reader is open).</summary>
    int Dimension { get; }

    /// <summary>Number of rows when the format tells it up front (binary formats), otherwise null.</summary>
    long? RowCount { get; }

    /// <summary>Rows read so far.</summary>
    long RowsRead { get; }

    /// <summary>
    /// Fills <paramref name="destination"/> with whole rows (row-major, <see cref="Dimension"/>
    /// values each) and returns how many rows it wrote; 0 at the end of the file.
    /// </summary>
    /// <exception cref="FeatureFormatException">A truncated row, a row of another dimension, or a value that is not finite.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> cannot hold one row.</exception>
    ValueTask<int> ReadAsync(Memory<double> destination, CancellationToken cancellationToken = default);
}
