using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using HammingIndex.Codes;

namespace HammingIndex.Training.IO;

/// <summary>
/// Streams a raw code file (see <see cref="RawCodeFile"/>) and its optional ids sidecar through
/// <see cref="PipeReader"/>s, block by block. A file with a <see cref="RawCodeHeader"/> says its own
/// code length, packing, count and model; a headerless file is read only with an explicit code
/// length. Lengths are checked when the file is opened (a truncated file is refused before any code
/// is read); padding bits past the code length must be zero; the checksums of a header are verified
/// when the last code has been read.
/// </summary>
public sealed class RawCodeReader : IAsyncDisposable
{
    private readonly PipeReader _codes;
    private readonly PipeReader? _ids;
    private readonly byte[] _row;
    private readonly RawCodeHeader? _header;
    private readonly XxHash3? _codesHash, _idsHash;
    private long _rowsRead;

    private RawCodeReader(string path, CodeLayout layout, RawCodePacking packing, PipeReader codes, PipeReader? ids, string? idsPath, long count, RawCodeHeader? header)
    {
        FilePath = path;
        Layout = layout;
        Packing = packing;
        _codes = codes;
        _ids = ids;
        IdsPath = idsPath;
        Count = count;
        _header = header;
        if (header is not null)
        {
            _codesHash = new XxHash3();
            if (header.Value.HasIds && ids is not null) _idsHash = new XxHash3();
        }
        _row = new byte[RawCodeFile.BytesPerRow(layout, packing)];
    }

    /// <summary>The codes file.</summary>
    public string FilePath { get; }

    /// <summary>The ids sidecar being read, or null when ids are the row numbers.</summary>
    public string? IdsPath { get; }

    /// <summary>The code layout.</summary>
    public CodeLayout Layout { get; }

    /// <summary>The packing of the file.</summary>
    public RawCodePacking Packing { get; }

    /// <summary>Number of codes in the file.</summary>
    public long Count { get; }

    /// <summary>Codes read so far.</summary>
    public long RowsRead => _rowsRead;

    /// <summary>Whether the file has a <see cref="RawCodeHeader"/> (false: headerless raw codes).</summary>
    public bool HasHeader => _header is not null;

    /// <summary>The fingerprint of the model that encoded the codes, or null when the file does not say (headerless, or written without a model).</summary>
    public ulong? ModelFingerprint => _header is { ModelFingerprint: not 0 } h ? h.ModelFingerprint : null;

    /// <summary>
    /// Opens a raw code file. A file with a header is read as its header says; <paramref name="bits"/>
    /// and <paramref name="packing"/>, when given, must agree with it. A headerless file needs
    /// <paramref name="bits"/> (packing defaults to words). The ids come from <paramref name="idsPath"/>,
    /// or else from <c>&lt;path&gt;.ids</c> when the header says it belongs to the file (a headerless
    /// file: when it exists).
    /// </summary>
    /// <exception cref="FileNotFoundException">The codes file (or an ids file it needs) does not exist.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is outside 8..4096.</exception>
    /// <exception cref="InvalidFileException">The header is damaged or disagrees with the file length, <paramref name="bits"/> or <paramref name="packing"/>; a headerless file without <paramref name="bits"/>.</exception>
    /// <exception cref="FeatureFormatException">The file length is not a whole number of codes, or the ids file does not hold one id per code.</exception>
    public static RawCodeReader Open(string path, int? bits = null, RawCodePacking? packing = null, string? idsPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new IOException($"{path}: is a directory, not a code file.");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.", path);
        long length = new FileInfo(path).Length;
        RawCodeHeader? header = ReadHeader(path, length);
        long count;
        CodeLayout layout;
        if (header is RawCodeHeader h)
        {
            if (bits is int b && b != h.Bits)
                throw new InvalidFileException(path, $"holds {h.Bits}-bit codes (its header says so), but {b}-bit codes were expected.", 12, $"{b} bits", $"{h.Bits} bits");
            if (packing is RawCodePacking p && p != h.Packing)
                throw new InvalidFileException(path, $"holds {Name(h.Packing)}-packed codes (its header says so), but {Name(p)} packing was given.", 16, Name(p), Name(h.Packing));
            layout = new CodeLayout(h.Bits);
            packing = h.Packing;
            count = h.Count;
            if (idsPath is null && h.HasIds)
            {
                idsPath = RawCodeFile.IdsPathFor(path);
                if (!File.Exists(idsPath)) throw new FileNotFoundException($"{idsPath}: no such file, but the header of {path} says its ids are there.", idsPath);
            }
        }
        else
        {
            if (bits is not int b)
                throw new InvalidFileException(path, $"has no code-file header (magic \"HMGCODES\"): give the code length (--bits) to read it as headerless raw codes.", 0, "HMGCODES", "no magic");
            layout = new CodeLayout(b);
            packing ??= RawCodePacking.Words;
            int rowBytes = RawCodeFile.BytesPerRow(layout, packing.Value);
            if (length % rowBytes != 0)
                throw new FeatureFormatException(path, length / rowBytes + 1, 0,
                    $"the code is truncated: {b}-bit codes take {rowBytes} bytes each ({Name(packing.Value)} packing), and the file's {length} bytes leave {length % rowBytes} over. Is --bits right?");
            count = length / rowBytes;
            if (idsPath is null && File.Exists(RawCodeFile.IdsPathFor(path))) idsPath = RawCodeFile.IdsPathFor(path);
        }
        if (idsPath is not null)
        {
            if (!File.Exists(idsPath)) throw new FileNotFoundException($"{idsPath}: no such file.", idsPath);
            long idBytes = new FileInfo(idsPath).Length;
            if (idBytes != count * 8)
                throw new FeatureFormatException(idsPath, 0, 0, $"holds {idBytes} bytes, but {count} codes need {count * 8} bytes of int64 ids.");
        }
        var (stream, codes) = PipeFile.OpenRead(path);
        if (header is not null) stream.Position = RawCodeHeader.Size;
        PipeReader? ids = idsPath is null ? null : PipeFile.OpenRead(idsPath).Reader;
        var reader = new RawCodeReader(path, layout, packing.Value, codes, ids, idsPath, count, header);
        if (count == 0) reader.VerifyChecksums();
        return reader;
    }

    private static RawCodeHeader? ReadHeader(string path, long length)
    {
        Span<byte> bytes = stackalloc byte[RawCodeHeader.Size];
        int n;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
            n = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        return RawCodeHeader.StartsWithMagic(bytes[..n]) ? RawCodeHeader.Read(bytes[..n], length, path) : null;
    }

    private static string Name(RawCodePacking packing) => packing.ToString().ToLowerInvariant();

    /// <summary>Compares the checksums of everything read with the header's (once every code has been read).</summary>
    private void VerifyChecksums()
    {
        if (_header is not RawCodeHeader h) return;
        ulong codes = _codesHash!.GetCurrentHashAsUInt64();
        if (codes != h.CodesChecksum)
            throw new InvalidFileException(FilePath, $"the codes do not match the header's checksum (stored 0x{h.CodesChecksum:X16}, computed 0x{codes:X16}): the file is corrupt.", 40, $"0x{codes:X16}", $"0x{h.CodesChecksum:X16}");
        if (_idsHash is not null && _idsHash.GetCurrentHashAsUInt64() is var ids && ids != h.IdsChecksum)
            throw new InvalidFileException(IdsPath!, $"the ids do not match the checksum in the header of {FilePath} (stored 0x{h.IdsChecksum:X16}, computed 0x{ids:X16}): the ids file is corrupt or belongs to other codes.", 0, $"0x{ids:X16}", $"0x{h.IdsChecksum:X16}");
    }

    /// <summary>
    /// Reads up to as many codes as fit both <paramref name="codes"/> (WordsPerCode ulongs each) and
    /// <paramref name="ids"/>, and returns how many were read; 0 at the end.
    /// </summary>
    /// <exception cref="FeatureFormatException">A code has non-zero padding bits.</exception>
    /// <exception cref="ArgumentException">The buffers cannot hold one code.</exception>
    public async ValueTask<int> ReadAsync(Memory<ulong> codes, Memory<long> ids, CancellationToken cancellationToken = default)
    {
        int words = Layout.WordsPerCode;
        int max = (int)Math.Min(Math.Min(codes.Length / words, ids.Length), Count - _rowsRead);
        if (codes.Length < words || ids.Length < 1)
            throw new ArgumentException($"Room for {codes.Length} ulongs and {ids.Length} ids cannot hold one {Layout.Bits}-bit code.", nameof(codes));
        int done = 0;
        long first = _rowsRead;
        while (done < max)
        {
            ReadResult result = await _codes.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            done += DecodeCodes(ref buffer, codes.Span[(done * words)..], max - done);
            _codes.AdvanceTo(buffer.Start, done == max ? buffer.Start : result.Buffer.End);
            if (done < max && result.IsCompleted)
                throw new FeatureFormatException(FilePath, _rowsRead + 1, 0, "the file ended early (it shrank while being read).");
        }
        if (_ids is null)
        {
            for (int i = 0; i < max; i++) ids.Span[i] = first + i;
        }
        else
        {
            int got = 0;
            while (got < max)
            {
                ReadResult result = await _ids.ReadAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                int n = (int)Math.Min(max - got, buffer.Length / 8);
                ReadOnlySequence<byte> take = buffer.Slice(0, n * 8L);
                take.CopyTo(MemoryMarshal.AsBytes(ids.Span.Slice(got, n)));
                _idsHash?.Append(MemoryMarshal.AsBytes(ids.Span.Slice(got, n)));
                if (!BitConverter.IsLittleEndian)
                    for (int i = got; i < got + n; i++) ids.Span[i] = BinaryPrimitives.ReverseEndianness(ids.Span[i]);
                got += n;
                _ids.AdvanceTo(take.End, got == max ? take.End : buffer.End);
                if (got < max && result.IsCompleted)
                    throw new FeatureFormatException(IdsPath!, first + got + 1, 0, "the ids file ended early (it shrank while being read).");
            }
        }
        if (max > 0 && _rowsRead == Count) VerifyChecksums();
        return max;
    }

    private int DecodeCodes(ref ReadOnlySequence<byte> buffer, Span<ulong> destination, int max)
    {
        int words = Layout.WordsPerCode;
        int n = (int)Math.Min(max, buffer.Length / _row.Length);
        ulong padding = ~Layout.LastWordMask;
        for (int i = 0; i < n; i++)
        {
            buffer.Slice(0, _row.Length).CopyTo(_row);
            buffer = buffer.Slice(_row.Length);
            _codesHash?.Append(_row);
            Span<ulong> code = destination.Slice(i * words, words);
            code.Clear();
            _row.CopyTo(MemoryMarshal.AsBytes(code));
            if (!BitConverter.IsLittleEndian)
                for (int w = 0; w < words; w++) code[w] = BinaryPrimitives.ReverseEndianness(code[w]);
            if ((code[^1] & padding) != 0)
                throw new FeatureFormatException(FilePath, _rowsRead + 1, 0,
                    $"padding bits past bit {Layout.Bits} are set (last word 0x{code[^1]:X16}); is --bits right?");
            _rowsRead++;
        }
        return n;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _codes.CompleteAsync().ConfigureAwait(false);
        if (_ids is not null) await _ids.CompleteAsync().ConfigureAwait(false);
    }
}
