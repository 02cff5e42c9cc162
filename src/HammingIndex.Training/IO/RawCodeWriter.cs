using System.Buffers.Binary;
using System.IO.Hashing;
using HammingIndex.Codes;

namespace HammingIndex.Training.IO;

/// <summary>
/// Writes codes to a raw code file (see <see cref="RawCodeFile"/>: a <see cref="RawCodeHeader"/>,
/// then the codes), and their ids to the <c>.ids</c> sidecar when asked. Nothing appears until
/// <see cref="Commit"/>: the files are written beside their targets and renamed over them together;
/// disposed without a commit, the writer leaves the targets as they were.
/// </summary>
public sealed class RawCodeWriter : IDisposable
{
    private readonly PendingFile _codes;
    private readonly PendingFile? _ids;
    private readonly byte[] _row;
    private readonly XxHash3 _codesHash = new();
    private readonly XxHash3? _idsHash;
    private readonly ulong _modelFingerprint;

    private RawCodeWriter(string path, CodeLayout layout, RawCodePacking packing, bool writeIds, ulong modelFingerprint, bool overwrite)
    {
        Layout = layout;
        Packing = packing;
        _modelFingerprint = modelFingerprint;
        _row = new byte[RawCodeFile.BytesPerRow(layout, packing)];
        _codes = PendingFile.Create(path, overwrite);
        FilePath = _codes.Target;
        try
        {
            if (writeIds)
            {
                _ids = PendingFile.Create(RawCodeFile.IdsPathFor(FilePath), overwrite);
                _idsHash = new XxHash3();
            }
            _codes.Stream.Write(new byte[RawCodeHeader.Size]); // filled in on commit, when the count and checksums are known
        }
        catch
        {
            _codes.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts writing <paramref name="path"/> for <paramref name="bits"/>-bit codes; with
    /// <paramref name="writeIds"/> also <c>&lt;path&gt;.ids</c>. The targets are checked now (not a
    /// directory, the directory exists, and, without <paramref name="overwrite"/>, no file there).
    /// </summary>
    /// <param name="path">The code file.</param>
    /// <param name="bits">Code length, 8..4096.</param>
    /// <param name="packing">Layout of each code.</param>
    /// <param name="writeIds">Whether ids go to the sidecar; without it a reader numbers the codes by row.</param>
    /// <param name="modelFingerprint">The <see cref="Scratch.ScratchModel.Fingerprint"/> of the model that encoded the codes, or 0 when unknown.</param>
    /// <param name="overwrite">Whether existing targets are replaced (on commit).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is outside 8..4096.</exception>
    /// <exception cref="IOException">A target is a directory, its directory does not exist, or it exists without <paramref name="overwrite"/>.</exception>
    public static RawCodeWriter Create(string path, int bits, RawCodePacking packing = RawCodePacking.Words, bool writeIds = true,
        ulong modelFingerprint = 0, bool overwrite = true) =>
        new(path, new CodeLayout(bits), packing, writeIds, modelFingerprint, overwrite);

    /// <summary>The codes file (full path).</summary>
    public string FilePath { get; }

    /// <summary>The code layout.</summary>
    public CodeLayout Layout { get; }

    /// <summary>The packing written.</summary>
    public RawCodePacking Packing { get; }

    /// <summary>Codes written so far.</summary>
    public long Count { get; private set; }

    /// <summary>Writes codes (WordsPerCode ulongs each, zero padding) with one id per code (ignored without a sidecar).</summary>
    /// <exception cref="ArgumentException">The codes are not whole codes with zero padding, or the id count differs.</exception>
    /// <exception cref="InvalidOperationException">The writer was committed.</exception>
    public void Write(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> ids)
    {
        if (Committed) throw new InvalidOperationException($"{FilePath} was committed; no more codes can be written.");
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
            _codes.Stream.Write(_row);
            _codesHash.Append(_row);
            if (_ids is not null)
            {
                BinaryPrimitives.WriteInt64LittleEndian(id, ids[i]);
                _ids.Stream.Write(id);
                _idsHash!.Append(id);
            }
        }
        Count += n;
    }

    /// <summary>Whether <see cref="Commit"/> has published the files.</summary>
    public bool Committed { get; private set; }

    /// <summary>
    /// Writes the header and publishes the files: both flushed to disk, then renamed over their
    /// targets. Without a sidecar, a stale <c>.ids</c> file beside the target is removed.
    /// </summary>
    /// <exception cref="IOException">The files cannot be written; the targets are then unchanged.</exception>
    public void Commit()
    {
        PendingFile.CommitAll(Complete());
        Committed = true;
        if (_ids is null) Storage.AtomicFile.TryDelete(RawCodeFile.IdsPathFor(FilePath)); // a stale sidecar does not belong to these codes
    }

    /// <summary>Writes the header and returns the pending files, for a caller committing them with other outputs of the same command.</summary>
    internal IReadOnlyList<PendingFile> Complete()
    {
        if (Committed) throw new InvalidOperationException($"{FilePath} was committed already.");
        var header = new RawCodeHeader(Layout.Bits, Packing, _ids is not null, Count, _modelFingerprint,
            _codesHash.GetCurrentHashAsUInt64(), _idsHash?.GetCurrentHashAsUInt64() ?? 0);
        var bytes = new byte[RawCodeHeader.Size];
        header.WriteTo(bytes);
        _codes.Stream.Position = 0;
        _codes.Stream.Write(bytes);
        _codes.Stream.Seek(0, SeekOrigin.End);
        return _ids is null ? [_codes] : [_codes, _ids];
    }

    /// <summary>Closes the writer; without a <see cref="Commit"/>, removes what it wrote and leaves the targets as they were.</summary>
    public void Dispose()
    {
        _codes.Dispose();
        _ids?.Dispose();
    }
}
