using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Pipelines;

namespace HammingIndex.Training.IO;

/// <summary>
/// Streams an .fvecs/.bvecs/.ivecs file (see <see cref="VecsKind"/>) through a
/// <see cref="PipeReader"/>: memory stays bounded by the pipe's buffer and the caller's block,
/// whatever the file size. Every row must have the first row's dimension; values must be finite.
/// </summary>
public sealed class VecsReader : IFeatureReader
{
    /// <summary>Largest dimension accepted (a guard against reading a file of another format).</summary>
    public const int MaxDimension = 1 << 20;

    private readonly PipeReader _pipe;
    private readonly byte[] _rowBytes;
    private long _rowsRead;

    private VecsReader(string path, VecsKind kind, PipeReader pipe, int dimension, long? rowCount)
    {
        FilePath = path;
        Kind = kind;
        _pipe = pipe;
        Dimension = dimension;
        RowCount = rowCount;
        _rowBytes = new byte[dimension * kind.ElementSize()];
    }

    /// <inheritdoc />
    public string FilePath { get; }

    /// <summary>The element type of the file.</summary>
    public VecsKind Kind { get; }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    /// <remarks>File length / row length when it divides evenly; null otherwise (the file is then malformed, and reading says where).</remarks>
    public long? RowCount { get; }

    /// <inheritdoc />
    public long RowsRead => _rowsRead;

    /// <summary>Bytes of one row on disk: the int32 dimension and the values.</summary>
    public long RowBytes => 4 + _rowBytes.LongLength;

    /// <summary>
    /// Opens <paramref name="path"/> and reads the first row's dimension. The kind comes from the
    /// extension unless <paramref name="kind"/> is given.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">No kind given and the extension is not .fvecs/.bvecs/.ivecs.</exception>
    /// <exception cref="FeatureFormatException">The file is empty or its first dimension is not plausible.</exception>
    public static async ValueTask<VecsReader> OpenAsync(string path, VecsKind? kind = null, CancellationToken cancellationToken = default)
    {
        VecsKind k = kind ?? VecsKinds.FromExtension(path)
            ?? throw new ArgumentException($"{path}: the extension does not say which vecs kind (.fvecs, .bvecs or .ivecs) the file is.", nameof(path));
        var (stream, pipe) = PipeFile.OpenRead(path);
        try
        {
            long length = stream.Length;
            ReadResult first = await pipe.ReadAtLeastAsync(4, cancellationToken).ConfigureAwait(false);
            if (first.Buffer.Length == 0)
                throw new FeatureFormatException(path, 0, 0, "the file is empty: a vecs file has at least one row.");
            if (first.Buffer.Length < 4)
                throw new FeatureFormatException(path, 1, 0, $"the row is truncated: the file ends after {first.Buffer.Length} bytes, inside the 4-byte dimension.");
            int dimension = ReadInt32(first.Buffer);
            pipe.AdvanceTo(first.Buffer.Start);
            if (dimension <= 0 || dimension > MaxDimension)
                throw new FeatureFormatException(path, 1, 0, $"dimension {dimension} is not in 1..{MaxDimension}; is this really a {k.ToString().ToLowerInvariant()} file?");
            long rowBytes = 4 + (long)dimension * k.ElementSize();
            long? rows = length % rowBytes == 0 ? length / rowBytes : null;
            return new VecsReader(path, k, pipe, dimension, rows);
        }
        catch
        {
            await pipe.CompleteAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> ReadAsync(Memory<double> destination, CancellationToken cancellationToken = default)
    {
        int maxRows = FeatureReaderArguments.MaxRows(destination, Dimension);
        int rows = 0;
        while (rows < maxRows)
        {
            ReadResult result = await _pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            rows += ParseRows(buffer, destination.Span[(rows * Dimension)..], maxRows - rows, out SequencePosition consumed);
            if (rows == maxRows)
            {
                _pipe.AdvanceTo(consumed);
                break;
            }
            long remaining = buffer.Slice(consumed).Length;
            _pipe.AdvanceTo(consumed, buffer.End);
            if (result.IsCompleted)
            {
                if (remaining > 0)
                    throw new FeatureFormatException(FilePath, _rowsRead + 1, 0,
                        $"the row is truncated: it needs {RowBytes} bytes but the file ends {remaining} bytes into it.");
                break;
            }
        }
        return rows;
    }

    private int ParseRows(ReadOnlySequence<byte> buffer, Span<double> destination, int maxRows, out SequencePosition consumed)
    {
        int rows = 0;
        long rowBytes = RowBytes;
        while (rows < maxRows && buffer.Length >= 4)
        {
            int dimension = ReadInt32(buffer);
            if (dimension != Dimension)
                throw new FeatureFormatException(FilePath, _rowsRead + 1, 0,
                    $"dimension {dimension} differs from the first row's {Dimension} (rows of a vecs file all have one dimension).");
            if (buffer.Length < rowBytes) break;
            buffer.Slice(4, _rowBytes.Length).CopyTo(_rowBytes);
            Decode(destination.Slice(rows * Dimension, Dimension));
            buffer = buffer.Slice(rowBytes);
            rows++;
            _rowsRead++;
        }
        consumed = buffer.Start;
        return rows;
    }

    private void Decode(Span<double> row)
    {
        ReadOnlySpan<byte> bytes = _rowBytes;
        switch (Kind)
        {
            case VecsKind.Fvecs:
                for (int j = 0; j < row.Length; j++)
                {
                    float v = BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(j * 4, 4));
                    if (!float.IsFinite(v))
                        throw new FeatureFormatException(FilePath, _rowsRead + 1, j + 1, $"value {v.ToString(CultureInfo.InvariantCulture)} is not a finite number.");
                    row[j] = v;
                }
                break;
            case VecsKind.Ivecs:
                for (int j = 0; j < row.Length; j++) row[j] = BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(j * 4, 4));
                break;
            default:
                for (int j = 0; j < row.Length; j++) row[j] = bytes[j];
                break;
        }
    }

    private static int ReadInt32(ReadOnlySequence<byte> buffer)
    {
        Span<byte> four = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(four);
        return BinaryPrimitives.ReadInt32LittleEndian(four);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _pipe.CompleteAsync();
}
