namespace HammingIndex.Training.IO;

/// <summary>
/// Streams the rows of a .npy file (see <see cref="NpyFile"/> for the accepted arrays) through
/// <see cref="IFeatureReader"/>: memory holds one buffer of at most <see cref="BufferBytes"/> bytes
/// (or one row, if a row is larger) and the caller's block, whatever the file size. A C-order file
/// is read front to back; a Fortran-order file (column-major) is read by seeking to each column's
/// slice of the rows asked for. Values must be finite.
/// </summary>
public sealed class NpyFeatureReader : IFeatureReader
{
    /// <summary>The default buffer: 1 MiB.</summary>
    public const int DefaultBufferBytes = 1 << 20;

    private readonly Stream _stream;
    private readonly NpyHeader _header;
    private readonly byte[] _buffer;
    private readonly double[] _decoded;
    private readonly int _rows;
    private readonly long _dataStart;
    private long _rowsRead;

    private NpyFeatureReader(Stream stream, string path, NpyHeader header, int rows, int columns, int bufferBytes)
    {
        _stream = stream;
        _dataStart = stream.Position;
        _header = header;
        _rows = rows;
        FilePath = path;
        Dimension = columns;
        int item = header.ItemSize;
        // C order reads whole rows; Fortran order reads one column's slice of rows at a time.
        long unit = header.FortranOrder ? item : (long)item * Math.Max(1, columns);
        long bytes = Math.Max(unit, bufferBytes / unit * unit);
        _buffer = new byte[bytes];
        _decoded = new double[bytes / item];
    }

    /// <summary>Opens <paramref name="path"/> and reads its header.</summary>
    /// <param name="path">The .npy file.</param>
    /// <param name="bufferBytes">Largest read buffer (at least one row or column slice is read at a time).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header is not one <see cref="NpyFile"/> accepts, or the data length disagrees with it.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bufferBytes"/> is not positive.</exception>
    public static NpyFeatureReader Open(string path, int bufferBytes = DefaultBufferBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 12);
        try
        {
            return Open(stream, path, bufferBytes);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the header from <paramref name="stream"/> (positioned at the magic; seekable) and serves
    /// its rows; the reader owns the stream. <paramref name="path"/> names it in errors.
    /// </summary>
    /// <exception cref="InvalidDataException">The header is not one <see cref="NpyFile"/> accepts, or the data length disagrees with it.</exception>
    /// <exception cref="ArgumentException">The stream cannot seek.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bufferBytes"/> is not positive.</exception>
    public static NpyFeatureReader Open(Stream stream, string path, int bufferBytes = DefaultBufferBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferBytes);
        if (!stream.CanSeek) throw new ArgumentException($"{path}: the stream must be seekable.", nameof(stream));
        NpyHeader header = NpyFile.ReadHeader(stream, path);
        (int rows, int columns) = NpyFile.MatrixShape(header, path);
        long expected = header.DataLength, actual = stream.Length - stream.Position;
        if (actual < expected)
            throw new InvalidDataException($"{path}: truncated .npy data: shape ({string.Join(", ", header.Shape)}) of {NpyFile.Descr(header.DType)} needs {expected} bytes after the {header.DataOffset}-byte header, but only {actual} are there.");
        if (actual > expected)
            throw new InvalidDataException($"{path}: {actual - expected} unexpected bytes after the {expected} bytes of .npy data (file corrupt or not one array).");
        return new NpyFeatureReader(stream, path, header, rows, columns, bufferBytes);
    }

    /// <inheritdoc />
    public string FilePath { get; }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public long? RowCount => _rows;

    /// <inheritdoc />
    public long RowsRead => _rowsRead;

    /// <summary>Bytes of the read buffer (the most read from the file at once).</summary>
    public int BufferBytes => _buffer.Length;

    /// <summary>Whether the file is in Fortran (column-major) order.</summary>
    public bool FortranOrder => _header.FortranOrder;

    /// <inheritdoc />
    public ValueTask<int> ReadAsync(Memory<double> destination, CancellationToken cancellationToken = default)
    {
        if (Dimension == 0) return ValueTask.FromResult(0);
        int wanted = (int)Math.Min(FeatureReaderArguments.MaxRows(destination, Dimension), _rows - _rowsRead);
        Span<double> target = destination.Span;
        int done = 0;
        while (done < wanted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = _header.FortranOrder ? ReadColumnSlices(target, done, wanted - done) : ReadRows(target, done, wanted - done);
            MatrixFeatureReader.CheckFinite(target.Slice(done * Dimension, n * Dimension), Dimension, _rowsRead, FilePath);
            done += n;
            _rowsRead += n;
        }
        return ValueTask.FromResult(done);
    }

    /// <summary>C order: the next rows lie next to each other; reads as many as the buffer holds.</summary>
    private int ReadRows(Span<double> target, int firstRow, int rows)
    {
        int item = _header.ItemSize;
        int n = Math.Min(rows, _buffer.Length / (item * Dimension));
        int values = n * Dimension;
        Span<byte> bytes = _buffer.AsSpan(0, values * item);
        NpyFile.ReadExactly(_stream, bytes, FilePath, _header.DataLength, _rowsRead * Dimension * item);
        NpyFile.Decode(bytes, _header.DType, target.Slice(firstRow * Dimension, values));
        return n;
    }

    /// <summary>Fortran order: each column holds the next rows in one slice; reads that slice of every column.</summary>
    private int ReadColumnSlices(Span<double> target, int firstRow, int rows)
    {
        int item = _header.ItemSize;
        int n = Math.Min(rows, _buffer.Length / item);
        Span<byte> bytes = _buffer.AsSpan(0, n * item);
        Span<double> column = _decoded.AsSpan(0, n);
        for (int c = 0; c < Dimension; c++)
        {
            long offset = ((long)c * _rows + _rowsRead) * item;
            _stream.Position = _dataStart + offset;
            NpyFile.ReadExactly(_stream, bytes, FilePath, _header.DataLength, offset);
            NpyFile.Decode(bytes, _header.DType, column);
            for (int r = 0; r < n; r++) target[(firstRow + r) * Dimension + c] = column[r];
        }
        return n;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
