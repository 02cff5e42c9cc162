using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace HammingIndex.Training.IO;

/// <summary>
/// Reads and writes NumPy .npy files (format versions 1.0, 2.0 and 3.0) holding little-endian
/// <c>&lt;f8</c>, <c>&lt;f4</c>, <c>|u1</c>, <c>&lt;i4</c> or <c>&lt;i8</c> arrays, in C order or
/// (reading) Fortran order.
/// </summary>
/// <remarks>
/// A 2-D array of shape (r, c) becomes an r x c <see cref="FeatureMatrix"/> whatever its order (a
/// Fortran-order file, as NumPy writes a transposed array, is read column by column into rows); a
/// 1-D array of n values becomes n x 1. An array of more dimensions, e.g. (60, 4, 2), is refused with
/// an <see cref="InvalidFileException"/> naming the file and the shape (reshape it to (n, d) first).
/// Refused, with an <see cref="InvalidDataException"/> naming the file: a bad magic or header, any
/// other dtype (including big-endian), a 0-d array, data shorter than the header promises (expected
/// vs actual bytes) and bytes past the data. The reader never reads past the end of the data the
/// header promises, and converts in chunks of 1 MiB, so memory holds the matrix and one chunk.
/// <see cref="NpyFeatureReader"/> streams the rows instead of holding the matrix.
/// </remarks>
public static class NpyFile
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private const int Alignment = 64;
    private const int ChunkBytes = 1 << 20;

    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int ItemSize(NpyDType dtype) => dtype switch
    {
        NpyDType.Float64 => 8,
        NpyDType.Float32 => 4,
        NpyDType.UInt8 => 1,
        NpyDType.Int32 => 4,
        NpyDType.Int64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown NumPy dtype."),
    };

    /// <summary>The NumPy <c>descr</c> string of <paramref name="dtype"/>, e.g. <c>&lt;f8</c>.</summary>
    public static string Descr(NpyDType dtype) => dtype switch
    {
        NpyDType.Float64 => "<f8",
        NpyDType.Float32 => "<f4",
        NpyDType.UInt8 => "|u1",
        NpyDType.Int32 => "<i4",
        NpyDType.Int64 => "<i8",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown NumPy dtype."),
    };

    /// <summary>Reads the .npy file at <paramref name="path"/> into a matrix of doubles.</summary>
    /// <exception cref="InvalidDataException">The file is not a .npy file this reader accepts (the message names the file and says why).</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static FeatureMatrix ReadMatrix(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return ReadMatrix(stream, path);
    }

    /// <summary>
    /// Reads a .npy array from <paramref name="stream"/> (positioned at the magic) into a matrix of
    /// doubles. <paramref name="source"/> names the stream in error messages.
    /// </summary>
    /// <exception cref="InvalidDataException">The stream is not a .npy array this reader accepts.</exception>
    public static FeatureMatrix ReadMatrix(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        NpyHeader header = ReadHeader(stream, source);
        (int rows, int columns) = MatrixShape(header, source);
        long expected = header.DataLength;
        if (stream.CanSeek)
        {
            long actual = stream.Length - stream.Position;
            if (actual < expected)
                throw new InvalidDataException($"{source}: truncated .npy data: shape ({string.Join(", ", header.Shape)}) of {Descr(header.DType)} needs {expected} bytes after the {header.DataOffset}-byte header, but only {actual} are there.");
            if (actual > expected)
                throw new InvalidDataException($"{source}: {actual - expected} unexpected bytes after the {expected} bytes of .npy data (file corrupt or not one array).");
        }

        var values = new double[(long)rows * columns];
        if (header.FortranOrder && rows > 1 && columns > 1) ReadColumnMajor(stream, header.DType, values, rows, columns, source, expected);
        else ReadValues(stream, header.DType, values, source, expected);
        if (!stream.CanSeek && stream.ReadByte() >= 0)
            throw new InvalidDataException($"{source}: unexpected bytes after the {expected} bytes of .npy data (file corrupt or not one array).");
        return new FeatureMatrix(rows, columns, values);
    }

    /// <summary>
    /// Reads and checks the header of a .npy array from <paramref name="stream"/> (positioned at the
    /// magic) and leaves the stream at the first data byte.
    /// </summary>
    /// <exception cref="InvalidDataException">Bad magic, version, header text, or an unsupported dtype.</exception>
    public static NpyHeader ReadHeader(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> prefix = stackalloc byte[12];
        int got = stream.ReadAtLeast(prefix[..10], 10, throwOnEndOfStream: false);
        if (got < 10 || !prefix[..6].SequenceEqual(Magic))
            throw new InvalidDataException($"{source}: not a .npy file (the first bytes are not \\x93NUMPY followed by a version).");
        int major = prefix[6], minor = prefix[7];
        long headerLength;
        int prefixLength;
        switch (major)
        {
            case 1:
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..10]);
                prefixLength = 10;
                break;
            case 2 or 3:
                if (stream.ReadAtLeast(prefix[10..12], 2, throwOnEndOfStream: false) < 2)
                    throw new InvalidDataException($"{source}: truncated .npy header.");
                headerLength = BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..12]);
                prefixLength = 12;
                break;
            default:
                throw new InvalidDataException($"{source}: unsupported .npy format version {major}.{minor} (1.0, 2.0 and 3.0 are read).");
        }
        if (headerLength > 1 << 24)
            throw new InvalidDataException($"{source}: .npy header length {headerLength} is implausible (file corrupt).");
        var headerBytes = new byte[headerLength];
        int read = stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false);
        if (read < headerLength)
            throw new InvalidDataException($"{source}: truncated .npy header: {headerLength} bytes expected, {read} present.");
        string text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        (string descr, bool fortran, long[] shape) = NpyHeaderText.Parse(text, source);
        NpyDType dtype = ParseDescr(descr, source);
        var header = new NpyHeader(major, minor, dtype, shape, fortran, prefixLength + headerLength);
        try
        {
            _ = header.DataLength;
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"{source}: .npy shape ({string.Join(", ", shape)}) is too large.");
        }
        return header;
    }

    /// <summary>Writes <paramref name="matrix"/> to <paramref name="path"/> as a 2-D .npy array of <paramref name="dtype"/>.</summary>
    /// <exception cref="ArgumentException">A value cannot be stored exactly as <paramref name="dtype"/> (integer types need integral values in range).</exception>
    public static void Write(string path, FeatureMatrix matrix, NpyDType dtype = NpyDType.Float64)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(matrix);
        CheckRepresentable(matrix.Values, dtype);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(stream, matrix, dtype);
    }

    /// <summary>Writes <paramref name="matrix"/> to <paramref name="stream"/> as a 2-D .npy array of <paramref name="dtype"/>.</summary>
    /// <exception cref="ArgumentException">A value cannot be stored exactly as <paramref name="dtype"/> (integer types need integral values in range).</exception>
    public static void Write(Stream stream, FeatureMatrix matrix, NpyDType dtype = NpyDType.Float64)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(matrix);
        CheckRepresentable(matrix.Values, dtype);
        WriteHeader(stream, dtype, [matrix.Rows, matrix.Columns]);
        int item = ItemSize(dtype);
        var buffer = new byte[Math.Max(item, ChunkBytes / item * item)];
        ReadOnlySpan<double> values = matrix.Values;
        int perChunk = buffer.Length / item;
        for (int start = 0; start < values.Length; start += perChunk)
        {
            ReadOnlySpan<double> chunk = values.Slice(start, Math.Min(perChunk, values.Length - start));
            Span<byte> bytes = buffer.AsSpan(0, chunk.Length * item);
            Encode(chunk, dtype, bytes);
            stream.Write(bytes);
        }
    }

    /// <summary>
    /// Writes a version 1.0 header (2.0 if the header needs more than 65,535 bytes) for a C-order
    /// array of <paramref name="dtype"/> and <paramref name="shape"/>, padded so the data start at
    /// a multiple of 64 bytes. The caller writes the little-endian data after it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public static void WriteHeader(Stream stream, NpyDType dtype, ReadOnlySpan<long> shape)
    {
        ArgumentNullException.ThrowIfNull(stream);
        foreach (long d in shape)
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(shape), d, "Dimensions must be non-negative.");
        string dict = NpyHeaderText.Format(Descr(dtype), shape.ToArray());
        int major = 1, prefixLength = 10;
        int padded = PaddedLength(prefixLength, dict.Length);
        if (padded - prefixLength > ushort.MaxValue)
        {
            major = 2;
            prefixLength = 12;
            padded = PaddedLength(prefixLength, dict.Length);
        }
        int headerLength = padded - prefixLength;
        var bytes = new byte[padded];
        Magic.CopyTo(bytes);
        bytes[6] = (byte)major;
        bytes[7] = 0;
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)headerLength);
        int written = Encoding.Latin1.GetBytes(dict, bytes.AsSpan(prefixLength));
        bytes.AsSpan(prefixLength + written, padded - prefixLength - written - 1).Fill((byte)' ');
        bytes[^1] = (byte)'\n';
        stream.Write(bytes);
    }

    private static int PaddedLength(int prefixLength, int dictLength)
    {
        int unpadded = prefixLength + dictLength + 1; // + '\n'
        return (unpadded + Alignment - 1) / Alignment * Alignment;
    }

    private static NpyDType ParseDescr(string descr, string source) => descr switch
    {
        "<f8" => NpyDType.Float64,
        "<f4" => NpyDType.Float32,
        "|u1" or "<u1" or ">u1" or "u1" => NpyDType.UInt8,
        "<i4" => NpyDType.Int32,
        "<i8" => NpyDType.Int64,
        _ when descr.StartsWith('>') => throw new InvalidDataException($"{source}: big-endian dtype '{descr}' is not supported (save little-endian: arr.astype('<{descr[1..]}')).") ,
        _ => throw new InvalidDataException($"{source}: dtype '{descr}' is not supported (supported: <f8, <f4, |u1, <i4, <i8)."),
    };

    /// <summary>The matrix shape of an array this reader accepts: rows = first dimension, columns = the product of the rest.</summary>
    /// <exception cref="InvalidDataException">A 0-d array, a Fortran-order array of more than 2 dimensions, or a shape too large for one matrix.</exception>
    internal static (int Rows, int Columns) MatrixShape(NpyHeader header, string source)
    {
        long[] shape = header.Shape;
        if (header.FortranOrder && shape.Length > 2)
            throw new InvalidDataException($"{source}: a Fortran-order .npy array of {shape.Length} dimensions ({string.Join(", ", shape)}) is not read; save it with np.ascontiguousarray.");
        if (shape.Length == 0)
            throw new InvalidDataException($"{source}: a 0-d (scalar) .npy array is not a matrix.");
        if (shape.Length > 2)
        {
            string actual = $"({string.Join(", ", shape)})";
            throw new InvalidFileException(source, $"a {shape.Length}-D .npy array of shape {actual} is not a feature matrix: features are 1-D (n,) or 2-D (n, d); reshape it, e.g. arr.reshape(len(arr), -1).",
                header.MajorVersion == 1 ? 10 : 12, "a 1-D or 2-D shape", actual); // offset of the header dictionary
        }
        long rows = shape[0];
        long columns = shape.Length == 2 ? shape[1] : 1;
        if (rows > int.MaxValue || columns > int.MaxValue || rows * columns > Array.MaxLength)
            throw new InvalidDataException($"{source}: shape ({string.Join(", ", shape)}) is too large for one in-memory matrix.");
        return ((int)rows, (int)columns);
    }

    private static void ReadValues(Stream stream, NpyDType dtype, double[] values, string source, long expected)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("The .npy reader needs a little-endian machine.");
        if (dtype == NpyDType.Float64)
        {
            Span<byte> target = MemoryMarshal.AsBytes(values.AsSpan());
            ReadExactly(stream, target, source, expected, 0);
            return;
        }
        int item = ItemSize(dtype);
        var buffer = new byte[Math.Max(item, ChunkBytes / item * item)];
        int perChunk = buffer.Length / item;
        long done = 0;
        for (int start = 0; start < values.Length; start += perChunk)
        {
            int count = Math.Min(perChunk, values.Length - start);
            Span<byte> bytes = buffer.AsSpan(0, count * item);
            ReadExactly(stream, bytes, source, expected, done);
            done += bytes.Length;
            Decode(bytes, dtype, values.AsSpan(start, count));
        }
    }

    /// <summary>Reads column-major data (file order: column 0's rows, then column 1's, ...) into the row-major <paramref name="values"/>, a chunk at a time.</summary>
    private static void ReadColumnMajor(Stream stream, NpyDType dtype, double[] values, int rows, int columns, string source, long expected)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("The .npy reader needs a little-endian machine.");
        int item = ItemSize(dtype);
        var buffer = new byte[Math.Max(item, ChunkBytes / item * item)];
        var decoded = new double[buffer.Length / item];
        long done = 0, total = (long)rows * columns;
        for (long start = 0; start < total; start += decoded.Length)
        {
            int count = (int)Math.Min(decoded.Length, total - start);
            Span<byte> bytes = buffer.AsSpan(0, count * item);
            ReadExactly(stream, bytes, source, expected, done);
            done += bytes.Length;
            Decode(bytes, dtype, decoded.AsSpan(0, count));
            int column = (int)(start / rows), row = (int)(start % rows);
            for (int i = 0; i < count; i++)
            {
                values[(long)row * columns + column] = decoded[i];
                if (++row == rows) { row = 0; column++; }
            }
        }
    }

    /// <summary>Converts little-endian elements of <paramref name="dtype"/> to doubles (<paramref name="target"/> holds one per element).</summary>
    internal static void Decode(ReadOnlySpan<byte> bytes, NpyDType dtype, Span<double> target)
    {
        int count = target.Length;
        switch (dtype)
        {
            case NpyDType.Float64:
                MemoryMarshal.Cast<byte, double>(bytes)[..count].CopyTo(target);
                break;
            case NpyDType.Float32:
                ReadOnlySpan<float> f = MemoryMarshal.Cast<byte, float>(bytes);
                for (int i = 0; i < count; i++) target[i] = f[i];
                break;
            case NpyDType.UInt8:
                for (int i = 0; i < count; i++) target[i] = bytes[i];
                break;
            case NpyDType.Int32:
                ReadOnlySpan<int> i32 = MemoryMarshal.Cast<byte, int>(bytes);
                for (int i = 0; i < count; i++) target[i] = i32[i];
                break;
            case NpyDType.Int64:
                ReadOnlySpan<long> i64 = MemoryMarshal.Cast<byte, long>(bytes);
                for (int i = 0; i < count; i++) target[i] = i64[i];
                break;
        }
    }

    internal static void ReadExactly(Stream stream, Span<byte> target, string source, long expected, long done)
    {
        int got = stream.ReadAtLeast(target, target.Length, throwOnEndOfStream: false);
        if (got < target.Length)
            throw new InvalidDataException($"{source}: truncated .npy data: {expected} bytes expected after the header, only {done + got} present.");
    }

    private static void CheckRepresentable(ReadOnlySpan<double> values, NpyDType dtype)
    {
        (double min, double max) = dtype switch
        {
            NpyDType.UInt8 => (0.0, 255.0),
            NpyDType.Int32 => (int.MinValue, int.MaxValue),
            NpyDType.Int64 => (-9.2233720368547758E18, 9.2233720368547748E18),
            _ => (double.NaN, double.NaN),
        };
        if (double.IsNaN(min)) return;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!(v >= min && v <= max) || Math.Floor(v) != v)
                throw new ArgumentException($"Value {v} at position {i} cannot be stored exactly as {Descr(dtype)}.", "matrix");
        }
    }

    private static void Encode(ReadOnlySpan<double> values, NpyDType dtype, Span<byte> bytes)
    {
        int item = ItemSize(dtype);
        for (int i = 0; i < values.Length; i++)
        {
            Span<byte> slot = bytes.Slice(i * item, item);
            double v = values[i];
            switch (dtype)
            {
                case NpyDType.Float64: BinaryPrimitives.WriteDoubleLittleEndian(slot, v); break;
                case NpyDType.Float32: BinaryPrimitives.WriteSingleLittleEndian(slot, (float)v); break;
                case NpyDType.UInt8: slot[0] = (byte)v; break;
                case NpyDType.Int32: BinaryPrimitives.WriteInt32LittleEndian(slot, (int)v); break;
                case NpyDType.Int64: BinaryPrimitives.WriteInt64LittleEndian(slot, (long)v); break;
            }
        }
    }
}
