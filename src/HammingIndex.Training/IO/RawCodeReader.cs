using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using HammingIndex.Codes;

namespace HammingIndex.Training.IO;

/// <summary>
/// Streams a raw code file (see <see cref="RawCodeFile"/>) and its optional ids sidecar through
/// <see cref="PipeReader"/>s, block by block. Lengths are checked when the file is opened (a
/// truncated file is refused before any code is read); padding bits past the code length must be
/// zero.
/// </summary>
public sealed class RawCodeReader : IAsyncDisposable
{
    private readonly PipeReader _codes;
    private readonly PipeReader? _ids;
    private readonly byte[] _row;
    private long _rowsRead;

    private RawCodeReader(string path, CodeLayout layout, RawCodePacking packing, PipeReader codes, PipeReader? ids, string? idsPath, long count)
    {
        FilePath = path;
        Layout = layout;
        Packing = packing;
        _codes = codes;
        _ids = ids;
        IdsPath = idsPath;
        Count = count;
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

    /// <summary>
    /// Opens a raw code file of <paramref name="bits"/>-bit codes. The ids come from
    /// <paramref name="idsPath"/>, or from <c>&lt;path&gt;.ids</c> when that exists and no path is given.
    /// </summary>
    /// <exception cref="FileNotFoundException">The codes file (or a given ids file) does not exist.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is outside 8..4096.</exception>
    /// <exception cref="FeatureFormatException">The file length is not a whole number of codes, or the ids file does not hold one id per code.</exception>
    public static RawCodeReader Open(string path, int bits, RawCodePacking packing = RawCodePacking.Words, string? idsPath = null)
    {
        var layout = new CodeLayout(bits);
        int rowBytes = RawCodeFile.BytesPerRow(layout, packing);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.", path);
        long length = new FileInfo(path).Length;
        if (length % rowBytes != 0)
            throw new FeatureFormatException(path, length / rowBytes + 1, 0,
                $"the code is truncated: {bits}-bit codes take {rowBytes} bytes each ({packing.ToString().ToLowerInvariant()} packing), and the file's {length} bytes leave {length % rowBytes} over. Is --bits right?");
        long count = length / rowBytes;
        if (idsPath is null && File.Exists(RawCodeFile.IdsPathFor(path))) idsPath = RawCodeFile.IdsPathFor(path);
        if (idsPath is not null)
        {
            if (!File.Exists(idsPath)) throw new FileNotFoundException($"{idsPath}: no such file.", idsPath);
            long idBytes = new FileInfo(idsPath).Length;
            if (idBytes != count * 8)
                throw new FeatureFormatException(idsPath, 0, 0, $"holds {idBytes} bytes, but {count} codes need {count * 8} bytes of int64 ids.");
        }
        var (_, codes) = PipeFile.OpenRead(path);
        PipeReader? ids = idsPath is null ? null : PipeFile.OpenRead(idsPath).Reader;
        return new RawCodeReader(path, layout, packing, codes, ids, idsPath, count);
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
                if (!BitConverter.IsLittleEndian)
                    for (int i = got; i < got + n; i++) ids.Span[i] = BinaryPrimitives.ReverseEndianness(ids.Span[i]);
                got += n;
                _ids.AdvanceTo(take.End, got == max ? take.End : buffer.End);
                if (got < max && result.IsCompleted)
                    throw new FeatureFormatException(IdsPath!, first + got + 1, 0, "the ids file ended early (it shrank while being read).");
            }
        }
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
