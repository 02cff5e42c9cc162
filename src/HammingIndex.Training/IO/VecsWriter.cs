using System.Buffers.Binary;
using System.Globalization;

namespace HammingIndex.Training.IO;

/// <summary>
/// Writes rows to an .fvecs/.bvecs/.ivecs file (see <see cref="VecsKind"/>), buffered; every row
/// must have the first row's dimension. Dispose to flush and close.
/// </summary>
public sealed class VecsWriter : IDisposable
{
    private readonly FileStream _stream;
    private byte[] _row = [];
    private long _rows;

    private VecsWriter(string path, VecsKind kind)
    {
        FilePath = path;
        Kind = kind;
        _stream = PipeFile.OpenWrite(path);
    }

    /// <summary>Creates (or truncates) <paramref name="path"/>; the kind comes from the extension unless given.</summary>
    /// <exception cref="ArgumentException">No kind given and the extension is not .fvecs/.bvecs/.ivecs.</exception>
    public static VecsWriter Create(string path, VecsKind? kind = null)
    {
        VecsKind k = kind ?? VecsKinds.FromExtension(path)
            ?? throw new ArgumentException($"{path}: the extension does not say which vecs kind (.fvecs, .bvecs or .ivecs) to write.", nameof(path));
        return new VecsWriter(path, k);
    }

    /// <summary>The file being written.</summary>
    public string FilePath { get; }

    /// <summary>The element type written.</summary>
    public VecsKind Kind { get; }

    /// <summary>Dimension of the rows (0 before the first row).</summary>
    public int Dimension { get; private set; }

    /// <summary>
    /// Writes one row. Values must fit the kind: finite for .fvecs (rounded to float32), integers in
    /// 0..255 for .bvecs, integers in the int32 range for .ivecs.
    /// </summary>
    /// <exception cref="ArgumentException">The row is empty, its dimension differs from the first row's, or a value does not fit the kind.</exception>
    public void WriteRow(ReadOnlySpan<double> row)
    {
        Span<byte> bytes = Begin(row.Length);
        for (int j = 0; j < row.Length; j++)
        {
            double v = row[j];
            switch (Kind)
            {
                case VecsKind.Fvecs:
                    if (!double.IsFinite(v)) Misfit(j, v);
                    BinaryPrimitives.WriteSingleLittleEndian(bytes.Slice(j * 4, 4), (float)v);
                    break;
                case VecsKind.Ivecs:
                    if (v != Math.Round(v) || v < int.MinValue || v > int.MaxValue) Misfit(j, v);
                    BinaryPrimitives.WriteInt32LittleEndian(bytes.Slice(j * 4, 4), (int)v);
                    break;
                default:
                    if (v != Math.Round(v) || v < 0 || v > 255) Misfit(j, v);
                    bytes[j] = (byte)v;
                    break;
            }
        }
        _stream.Write(_row);
        _rows++;
    }

    /// <summary>Writes one float32 row to an .fvecs file (the fast path for large files).</summary>
    /// <exception cref="ArgumentException">The file is not .fvecs, the dimension differs, or a value is not finite.</exception>
    public void WriteRow(ReadOnlySpan<float> row)
    {
        if (Kind != VecsKind.Fvecs) throw new ArgumentException($"{FilePath}: float rows go to an .fvecs file, not {Kind}.", nameof(row));
        Span<byte> bytes = Begin(row.Length);
        for (int j = 0; j < row.Length; j++)
        {
            if (!float.IsFinite(row[j])) Misfit(j, row[j]);
            BinaryPrimitives.WriteSingleLittleEndian(bytes.Slice(j * 4, 4), row[j]);
        }
        _stream.Write(_row);
        _rows++;
    }

    private Span<byte> Begin(int dimension)
    {
        if (dimension <= 0 || dimension > VecsReader.MaxDimension)
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"A row has 1..{VecsReader.MaxDimension} values.");
        if (Dimension == 0)
        {
            Dimension = dimension;
            _row = new byte[4 + dimension * Kind.ElementSize()];
            BinaryPrimitives.WriteInt32LittleEndian(_row, dimension);
        }
        else if (dimension != Dimension)
        {
            throw new ArgumentException($"{FilePath}: row {_rows + 1} has {dimension} values, but the first row had {Dimension}.", "row");
        }
        return _row.AsSpan(4);
    }

    private void Misfit(int column, double value) =>
        throw new ArgumentException($"{FilePath}: row {_rows + 1}, column {column + 1}: value {value.ToString(CultureInfo.InvariantCulture)} does not fit a {Kind} file.", "row");

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose() => _stream.Dispose();
}
