using System.Buffers.Binary;
using HammingIndex.Codes;

namespace HammingIndex.Training.IO;

/// <summary>
/// Writes codes to a raw code file (see <see cref="RawCodeFile"/>), and their ids to the
/// <c>.ids</c> sidecar when asked. Dispose to flush and close.
/// </summary>
public sealed class RawCodeWriter : IDisposable
{
    private readonly FileStream _codes;
    private readonly FileStream? _ids;
    private readonly byte[] _row;

    private RawCodeWriter(string path, CodeLayout layout, RawCodePacking packing, bool writeIds)
    {
        FilePath = path;
        Layout = layout;
        Packing = packing;
        _row = new byte[RawCodeFile.BytesPerRow(layout, packing)];
        _codes = PipeFile.OpenWrite(path);
        if (writeIds) _ids = PipeFile.OpenWrite(RawCodeFile.IdsPathFor(path));
        else if (File.Exists(RawCodeFile.IdsPathFor(path))) File.Delete(RawCodeFile.IdsPathFor(path)); // a stale sidecar would be read back
    }

    /// <summary>Creates (or truncates) <paramref name="path"/> for <paramref name="bits"/>-bit codes; with <paramref name="writeIds"/> also <c>&lt;path&gt;.ids</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is outside 8..4096.</exception>
    public static RawCodeWriter Create(string path, int bits, RawCodePacking packing = RawCodePacking.Words, bool writeIds = true) =>
        new(path, new CodeLayout(bits), packing, writeIds);

    /// <summary>The codes file.</summary>
    public string FilePath { get; }

    /// <summary>The code layout.</summary>
    public CodeLayout Layout { get; }

    /// <summary>The packing written.</summary>
    public RawCodePacking Packing { get; }

    /// <summary>Codes written so far.</summary>
    public long Count { get; private set; }

    /// <summary>Writes codes (WordsPerCode ulongs each, zero padding) with one id per code (ignored without a sidecar).</summary>
    /// <exception cref="ArgumentException">The codes are not whole codes with zero padding, or the id count differs.</exception>
    public void Write(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> ids)
    {
        int n = Layout.ValidateCodes(codes);
        if (ids.Length != n) throw new ArgumentException($"{ids.Length} ids were given for {n} codes.", nameof(ids));
        int words = Layout.WordsPerCode;
        Span<byte> id = stackalloc byte[8];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<ulong> code = codes.Slice(i * words, words);
            for (int w = 0; w < words; w++)
            {
                int at = w * 8;
                if (at + 8 <= _row.Length) BinaryPrimitives.WriteUInt64LittleEndian(_row.AsSpan(at), code[w]);
                else for (int b = at; b < _row.Length; b++) _row[b] = (byte)(code[w] >> (8 * (b - at)));
            }
            _codes.Write(_row);
            if (_ids is not null)
            {
                BinaryPrimitives.WriteInt64LittleEndian(id, ids[i]);
                _ids.Write(id);
            }
        }
        Count += n;
    }

    /// <summary>Flushes and closes the files.</summary>
    public void Dispose()
    {
        _codes.Dispose();
        _ids?.Dispose();
    }
}
