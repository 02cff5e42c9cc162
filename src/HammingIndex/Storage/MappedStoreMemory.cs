using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using HammingIndex.Codes;

namespace HammingIndex.Storage;

/// <summary>
/// The file backing of a <see cref="CodeStore"/>: the blocks that are full when the file is opened
/// share one read-write view (they are never written through the mapping again: deletes go to the
/// tombstone log by file writes), and every other block (the last, partly filled one, and blocks
/// appended later) is its own page-aligned view of the store file (see <see cref="StoreFileFormat"/>).
/// Views are mapped once and never remapped, so growing the file maps new views beside the ones
/// readers use. Views, maps and the file are released only when the store and every reader have let
/// go (<see cref="StoreMemory.Release"/>).
/// </summary>
/// <remarks>
/// Map count: an opened store costs 1 + (blocks appended since) + 1 memory maps, whatever its size; a
/// process that appends B blocks maps B views (at the default 2^17 codes per block for 64-bit codes,
/// 10^9 codes are 7,630 blocks, an eighth of Linux's default vm.max_map_count of 65,530;
/// <see cref="ViewsFor"/> gives the count, and a reopen folds them into one).
/// </remarks>
/// <remarks>
/// Commit protocol (<see cref="Commit"/>): write codes (through the mapping) and tombstone-log entries
/// (file writes), write each touched block's checksum record into the record slot the committed header
/// does not use, fsync; then write the header into the header slot the current header does not use,
/// fsync. Codes and ids are written only through the mapping; everything else through file writes, so
/// space for it is allocated by the write (a full disk is an IOException, not a fault in a mapped store).
/// </remarks>
internal sealed unsafe class MappedStoreMemory : StoreMemory
{
    private static readonly byte[] Zeros = new byte[1 << 16];

    private readonly StoreFile _file;
    private readonly StoreFileFormat _format;
    private readonly List<MemoryMappedFile> _maps = new();
    private readonly List<MemoryMappedViewAccessor> _views = new(); // index = block (full blocks at open share one)
    private readonly List<nint> _starts = new(); // index = block
    private MemoryMappedViewAccessor? _shared; // the blocks full at open
    private long _sharedBlocks;
    private readonly List<long> _pendingDeletes = new();
    private MemoryMappedFile? _map;
    private long _mapCapacity;
    private long _fileLength;
    private long _openedCount;
    private ulong _sequence;

    private MappedStoreMemory(string path, StoreFile file, StoreFileFormat format)
        : base(format.Layout, format.CapacityLog2)
    {
        _file = file;
        Path = path;
        _format = format;
        _fileLength = file.Length;
    }

    /// <summary>The file's current name (it changes once, when a created or compacted file is renamed into place).</summary>
    public string Path
    {
        get => _file.Name;
        set => _file.Name = value;
    }

    /// <summary>The file system the file lives in.</summary>
    public StoreFileSystem FileSystem { get; private init; } = StoreFileSystem.Default;

    /// <summary>A commit failed: the next one rewrites everything since the last commit (see <see cref="Commit"/>).</summary>
    private bool _commitFailed;

    /// <summary>Positions committed by the last header written or read.</summary>
    public long CommittedCount { get; private set; }

    /// <summary>Deletes committed by the last header.</summary>
    public long CommittedDeletes { get; private set; }

    /// <summary>Generation committed by the last header.</summary>
    public long CommittedGeneration { get; private set; }

    /// <summary>Test hook: called at each step of <see cref="Commit"/> by name; a throw simulates a crash there.</summary>
    internal Action<string>? FaultInjector { get; set; }

    /// <summary>What opening found; null for a created file.</summary>
    public StoreRecoveryInfo? Recovery { get; private set; }

    /// <summary>Creates a new, empty, committed store file at <paramref name="path"/> (which must not exist).</summary>
    public static MappedStoreMemory CreateFile(string path, CodeLayout layout, int capacityLog2, long generation, StoreFileSystem fileSystem)
    {
        CheckEndianness();
        StoreFile file = fileSystem.Open(path, FileMode.CreateNew);
        MappedStoreMemory? memory = null;
        try
        {
            file.SetLength(StoreFileFormat.HeaderPageBytes);
            memory = new MappedStoreMemory(path, file, new StoreFileFormat(layout, capacityLog2)) { CommittedGeneration = generation, FileSystem = fileSystem };
            ulong digest = memory.ContentDigest(0, generation);
            memory._committedDigest = new DigestAt(0, generation, digest);
            memory.WriteHeader(new StoreHeader(layout.Bits, capacityLog2, 0, 0, generation, 0, digest)); // slot 0; the first commit goes to slot 1
            file.Sync();
            return memory;
        }
        catch
        {
            if (memory is not null) memory.ReleaseOwner();
            else file.Dispose();
            AtomicFile.TryDelete(path, fileSystem);
            throw;
        }
    }

    /// <summary>
    /// Opens a store file: validates the header, maps the committed blocks (without reading them),
    /// drops and reports the uncommitted tail, loads the tombstone log.
    /// </summary>
    public static MappedStoreMemory OpenFile(string path, bool verifyAll, bool recoverToPrevious, StoreFileSystem fileSystem, bool? adviseRandom = null)
    {
        CheckEndianness();
        StoreFile file = fileSystem.Open(path, FileMode.Open);
        MappedStoreMemory? memory = null;
        try
        {
            var choice = new HeaderChoice();
            StoreHeader header = ReadHeader(path, file, recoverToPrevious, choice);
            var format = new StoreFileFormat(new CodeLayout(header.Bits), header.CapacityLog2);
            long blocks = format.BlocksFor(header.Count);
            long needed = format.FileLength(blocks);
            if (file.Length < needed)
                throw new StoreTruncatedException(path, needed, file.Length, $"the header's {header.Count} committed codes ({blocks} blocks of {format.Stride} bytes)");
            memory = new MappedStoreMemory(path, file, format)
            {
                CommittedCount = header.Count,
                CommittedDeletes = header.Deletes,
                CommittedGeneration = header.Generation,
                _sequence = header.Sequence,
                _committedDigest = header.Digest is ulong digest ? new DigestAt(header.Count, header.Generation, digest) : null,
                _openedCount = header.Count,
                FileSystem = fileSystem,
            };
            var info = new StoreRecoveryInfo(header.Count, header.Deletes, header.Sequence) { UsedPreviousHeader = choice.RolledBack, DamagedHeaderSlot = choice.DamagedSlot };
            memory.MapFullBlocks(header.Count >> header.CapacityLog2, adviseRandom);
            memory.EnsureBlocks((int)blocks);
            memory.RecoverTail(info);
            memory.LoadTombstones(info);
            if (choice.RolledBack) memory.CommitRollback();
            if (verifyAll) memory.VerifyCommitted();
            memory.Recovery = info;
            return memory;
        }
        catch
        {
            if (memory is not null) memory.ReleaseOwner();
            else file.Dispose();
            throw;
        }
    }

    /// <summary>Adds a delete (already marked in memory) to the log the next commit writes.</summary>
    public void RecordDelete(long position) => _pendingDeletes.Add(position);

    /// <summary>Whether anything differs from the committed state.</summary>
    public bool HasUncommitted(long count, long generation) =>
        count != CommittedCount || _pendingDeletes.Count > 0 || generation != CommittedGeneration || DirectorySyncPending;

    /// <summary>
    /// The file was renamed into place but the directory sync failed (a compaction): until a sync
    /// succeeds a crash may bring the old name back, so the next commit syncs the directory first.
    /// </summary>
    public bool DirectorySyncPending { get; set; }

    /// <summary>
    /// Makes positions 0..count-1 and every recorded delete durable (two-phase commit, see the type
    /// remarks). Writer only; every block covering <paramref name="count"/> exists.
    /// </summary>
    public void Commit(long count, long generation)
    {
        if (!HasUncommitted(count, generation)) return;
        try
        {
            if (DirectorySyncPending)
            {
                FileSystem.SyncDirectory(Path);
                DirectorySyncPending = false;
                if (!HasUncommitted(count, generation)) return;
            }
            if (_commitFailed) RewriteUncommitted(count);
            CommitCore(count, generation);
            _commitFailed = false;
        }
        catch (IOException)
        {
            // A failed fsync may have dropped the dirty pages it could not write (Linux marks them clean):
            // the retry must write them again, not trust the page cache.
            _commitFailed = true;
            throw;
        }
    }

    /// <summary>
    /// Marks every mapped page of positions CommittedCount..count-1 dirty again (rewrites a byte of each
    /// with itself), so the next fsync writes them even if a failed one dropped them. Log entries,
    /// records and the header are rewritten by every commit anyway.
    /// </summary>
    private void RewriteUncommitted(long count)
    {
        for (long b = CommittedCount >> _format.CapacityLog2; b < _format.BlocksFor(count); b++)
        {
            int from = _format.FilledIn(b, CommittedCount), to = _format.FilledIn(b, count);
            if (to == from) continue;
            Touch(b, from * (long)Layout.BytesPerCode, (to - from) * (long)Layout.BytesPerCode);
            Touch(b, _format.IdsOffset + from * (long)sizeof(long), (to - from) * (long)sizeof(long));
        }
    }

    private void Touch(long block, long start, long length)
    {
        byte* p = UncheckedCodePointer((int)block);
        for (long at = start; at < start + length; at = (at | 4095) + 1)
            Volatile.Write(ref p[at], Volatile.Read(ref p[at]));
        _file.MappedWrite(_format.BlockOffset(block) + start, length);
    }

    private void CommitCore(long count, long generation)
    {
        Span<byte> record = stackalloc byte[StoreFileFormat.RecordBytes];
        var hashed = new Dictionary<long, ulong>(); // the blocks phase 1 hashes, for the header's digest

        // Phase 1: data, its checksum records, fsync.
        for (long b = CommittedCount >> _format.CapacityLog2; b < _format.BlocksFor(count); b++)
        {
            int committed = _format.FilledIn(b, CommittedCount), filled = _format.FilledIn(b, count);
            if (filled == committed) continue;
            ulong hash = _format.CodeChecksum(b, UncheckedCodePointer((int)b), filled);
            WriteRecord(b, log: false, committed, filled, hash, record);
            hashed[b] = hash;
            System.Diagnostics.Debug.Assert(b >= _sharedBlocks, "blocks full at open are never written through the mapping");
            _file.SyncView(_views[(int)b], _format.BlockOffset(b), _format.Stride);
        }
        FaultInjector?.Invoke("code-records-written");
        long deletes = CommittedDeletes + _pendingDeletes.Count;
        if (_pendingDeletes.Count > 0)
        {
            WriteLogEntries();
            for (long b = CommittedDeletes >> _format.CapacityLog2; b < _format.BlocksFor(deletes); b++)
            {
                int committed = _format.FilledIn(b, CommittedDeletes), filled = _format.FilledIn(b, deletes);
                ulong hash = StoreFileFormat.LogChecksum(b, LogEntries(b, filled));
                WriteRecord(b, log: true, committed, filled, hash, record);
            }
            FaultInjector?.Invoke("log-written");
        }
        _file.Sync();
        FaultInjector?.Invoke("data-synced");

        // Phase 2: the header, the durability point; fsync. It carries the content digest at its count.
        ulong sequence = _sequence + 1;
        ulong digest = ContentDigest(count, generation, hashed);
        WriteHeader(new StoreHeader(Layout.Bits, BlockCapacityLog2, count, deletes, generation, sequence, digest));
        FaultInjector?.Invoke("header-written");
        _file.Sync();
        _sequence = sequence;
        Volatile.Write(ref _committedDigest, new DigestAt(count, generation, digest));
        CommittedCount = count;
        CommittedDeletes = deletes;
        CommittedGeneration = generation;
        _pendingDeletes.Clear();
    }

    /// <summary>
    /// Makes an explicit rollback durable: the tail of the dropped commit is already cleared, so this
    /// writes the opened state as the next commit, over the damaged slot, and syncs.
    /// </summary>
    private void CommitRollback()
    {
        _file.Sync();
        ulong sequence = _sequence + 1;
        WriteHeader(new StoreHeader(Layout.Bits, BlockCapacityLog2, CommittedCount, CommittedDeletes, CommittedGeneration, sequence, _committedDigest?.Value));
        _file.Sync();
        _sequence = sequence;
    }

    /// <summary>The committed header's content digest and what it covers (null when its slot was written without one).</summary>
    private DigestAt? _committedDigest;

    private sealed record DigestAt(long Count, long Generation, ulong Value);

    /// <summary>
    /// The committed header's digest when <paramref name="count"/> and <paramref name="generation"/> are
    /// what it covers (no read of the blocks' records); otherwise computed.
    /// </summary>
    public override ulong BindingDigest(long count, long generation) =>
        Volatile.Read(ref _committedDigest) is { } d && d.Count == count && d.Generation == generation ? d.Value : ContentDigest(count, generation);

    /// <summary>Which header slot opening chose, and why.</summary>
    private sealed class HeaderChoice
    {
        public int DamagedSlot = -1;
        public bool RolledBack;
    }

    /// <summary>Checks every committed block and the tombstone log against their checksums; returns the codes checked.</summary>
    public long VerifyCommitted(CancellationToken cancellationToken = default, IProgress<(long Done, long Total)>? progress = null)
    {
        long blocks = _format.BlocksFor(CommittedCount);
        for (long b = 0; b < blocks; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report((b, blocks));
            VerifyCodes(b, CommittedCount);
            MarkVerified((int)b);
        }
        for (long b = 0; b < _format.BlocksFor(CommittedDeletes); b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            VerifyLog(b, CommittedDeletes);
        }
        if (blocks > 0) progress?.Report((blocks, blocks));
        return CommittedCount;
    }

    /// <summary>Whether <paramref name="bytes"/> exceed half the memory available to this process (unknown: no).</summary>
    private static bool LargerThanHalfOfMemory(long bytes)
    {
        long physical = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return physical > 0 && bytes > physical / 2;
    }

    /// <summary>Whether the committed blocks' map is advised for random access (see <see cref="CodeStoreOptions.AdviseRandomAccess"/>).</summary>
    private bool _randomAdvised;

    /// <summary>Blocks whose codes a sequential pass asks for ahead of the one it reads (about 4 MiB of codes).</summary>
    private const int SequentialLookahead = 4;

    /// <inheritdoc />
    public override void SequentialRead(int block)
    {
        if (!_randomAdvised) return; // the kernel's read-around serves passes over a map not advised random
        for (long b = block; b < Math.Min(_sharedBlocks, (long)block + SequentialLookahead); b++)
            _file.WillNeed(_format.BlockOffset(b), (long)BlockCapacity * Layout.BytesPerCode);
    }

    /// <inheritdoc />
    public override void ReleaseResident(int block) =>
        ReadAhead.ReleaseMapped(UncheckedCodePointer(block), _format.Stride); // codes, and the ids its first-read check hashed

    /// <inheritdoc />
    protected override void VerifyBlock(int block) => VerifyCodes(block, _openedCount);

    /// <summary>
    /// A committed block's checksum comes from its record (no read of the codes: the block is checked
    /// against that record on its first read anyway); any other part is hashed from the codes.
    /// </summary>
    protected override ulong BlockChecksum(int block, int filled)
    {
        if (filled == _format.FilledIn(block, CommittedCount))
        {
            var r0 = ReadRecord(block, log: false, 0);
            var r1 = ReadRecord(block, log: false, 1);
            if (r0.Filled == filled && (r1.Filled != filled || r1.Hash == r0.Hash)) return r0.Hash;
            if (r1.Filled == filled && r0.Filled != filled) return r1.Hash;
        }
        return base.BlockChecksum(block, filled);
    }

    /// <summary>
    /// Memory maps a store of <paramref name="count"/> codes needs: one view for the blocks full at
    /// open plus one per other block, when it was opened with <paramref name="openedCount"/> codes.
    /// </summary>
    public static long ViewsFor(long count, long openedCount, int capacityLog2)
    {
        long full = openedCount >> capacityLog2;
        long blocks = (count + (1L << capacityLog2) - 1) >> capacityLog2;
        return (full > 0 ? 1 : 0) + Math.Max(0, blocks - full);
    }

    /// <summary>
    /// Maps blocks 0..<paramref name="blocks"/>-1 (full, committed, present in the file) as one view,
    /// so a store of any size opens with one map instead of one per block. Called once, before any
    /// block is allocated.
    /// </summary>
    private void MapFullBlocks(long blocks, bool? adviseRandom)
    {
        if (blocks == 0) return;
        long end = _format.BlockOffset(blocks);
        _randomAdvised = adviseRandom ?? LargerThanHalfOfMemory(end - _format.BlockOffset(0));
        _map = _file.Map();
        _mapCapacity = _fileLength;
        _maps.Add(_map);
        _shared = _map.CreateViewAccessor(_format.BlockOffset(0), end - _format.BlockOffset(0), MemoryMappedFileAccess.ReadWrite);
        byte* start = null;
        _shared.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        start += _shared.PointerOffset;
        if (_randomAdvised) ReadAhead.RandomAccess(start, end - _format.BlockOffset(0));
        _sharedBlocks = blocks;
        for (long b = 0; b < blocks; b++)
        {
            _views.Add(_shared);
            _starts.Add((nint)(start + b * _format.Stride));
        }
    }

    /// <summary>
    /// The checksum records of the committed blocks are one small read per block, each in its own page
    /// (a block's trailer): asks for all of them at once, so a cold digest of a store of 10^9 codes
    /// (7,630 blocks) waits for the disk about once rather than 7,630 times.
    /// </summary>
    protected override void PrefetchChecksums(long count)
    {
        long blocks = Math.Min(count, CommittedCount) >> _format.CapacityLog2; // full committed blocks: their records are read
        for (long b = 0; b < blocks; b++)
            _file.WillNeed(_format.RecordOffset(b, log: false, 0), 2 * StoreFileFormat.RecordBytes);
    }

    /// <inheritdoc />
    protected override (nint Codes, nint Ids, bool Verified) AllocateBlock(int block)
    {
        bool verified = ((long)block << BlockCapacityLog2) >= _openedCount; // written by this process
        if (block < _starts.Count) // in the shared view, or mapped by an EnsureBlocks that failed on a later block
            return (_starts[block], _starts[block] + (nint)_format.IdsOffset, verified);
        long offset = _format.BlockOffset(block), end = offset + _format.Stride;
        if (_fileLength < end) Grow(offset, end);
        if (_map is null || _mapCapacity < end)
        {
            _map = _file.Map();
            _mapCapacity = _fileLength;
            _maps.Add(_map);
        }
        MemoryMappedViewAccessor view = _map.CreateViewAccessor(offset, _format.Stride, MemoryMappedFileAccess.ReadWrite);
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        _views.Add(view);
        start += view.PointerOffset;
        _starts.Add((nint)start);
        return ((nint)start, (nint)(start + _format.IdsOffset), verified);
    }

    /// <inheritdoc />
    protected override void OnWritten(int block, int slot, int count)
    {
        long start = _format.BlockOffset(block);
        _file.MappedWrite(start + (long)slot * Layout.BytesPerCode, (long)count * Layout.BytesPerCode);
        _file.MappedWrite(start + _format.IdsOffset + (long)slot * sizeof(long), (long)count * sizeof(long));
    }

    /// <inheritdoc />
    protected override void FreeBlocks(ReadOnlySpan<nint> codes, ReadOnlySpan<nint> ids)
    {
        foreach (MemoryMappedViewAccessor view in _views.Skip((int)_sharedBlocks))
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
            view.Dispose();
        }
        if (_shared is not null)
        {
            _shared.SafeMemoryMappedViewHandle.ReleasePointer();
            _shared.Dispose();
        }
        foreach (MemoryMappedFile map in _maps) map.Dispose();
        _file.Dispose();
    }

    private static void CheckEndianness()
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Store files are little-endian and are mapped as they are; this machine is big-endian.");
    }

    /// <summary>
    /// Picks the header to open at, or throws the specific error. Both slots valid: the newer. One valid
    /// and the other never written (all zeros beside the creation header): the valid one. One valid and the other damaged (checksum,
    /// magic or version bytes): the damaged slot was either the older commit (harmless) or the newer one
    /// (a torn write, or damage after the flush returned); if the file holds data of a newer commit than
    /// the valid slot describes, opening there would drop it, so this refuses unless
    /// <paramref name="recoverToPrevious"/> asks for the rollback. See docs/RELIABILITY.md.
    /// </summary>
    private static StoreHeader ReadHeader(string path, StoreFile file, bool recoverToPrevious, HeaderChoice choice)
    {
        long length = file.Length;
        byte[] page = new byte[StoreFileFormat.HeaderPageBytes];
        int read = file.ReadFully(page.AsSpan(0, (int)Math.Min(length, page.Length)), 0);
        var states = new StoreHeader.SlotState[2];
        var headers = new StoreHeader[2];
        var versions = new int[2];
        var stored = new ulong[2];
        var actual = new ulong[2];
        var zero = new bool[2];
        for (int s = 0; s < 2; s++)
        {
            int offset = StoreFileFormat.HeaderSlotOffset(s);
            ReadOnlySpan<byte> slot = offset < read ? page.AsSpan(offset, Math.Min(StoreFileFormat.HeaderSlotBytes, read - offset)) : default;
            states[s] = StoreHeader.Read(slot, out headers[s], out versions[s], out stored[s], out actual[s]);
            zero[s] = slot.Length == StoreFileFormat.HeaderSlotBytes && !slot.ContainsAnyExcept((byte)0);
        }
        if (states[0] == StoreHeader.SlotState.NoMagic && states[1] == StoreHeader.SlotState.NoMagic)
        {
            string found = read >= 8 ? $"0x{BinaryPrimitives.ReadUInt64LittleEndian(page):X16}" : $"a {length}-byte file";
            throw new NotAStoreException(path, $"not a HammingIndex store: expected magic 0x{StoreFileFormat.Magic:X16} (\"HMGSTORE\") at offset 0, found {found}.");
        }
        bool any = states[0] == StoreHeader.SlotState.Valid || states[1] == StoreHeader.SlotState.Valid;
        if (!any)
        {
            int other = states[0] == StoreHeader.SlotState.OtherVersion ? 0 : states[1] == StoreHeader.SlotState.OtherVersion ? 1 : -1;
            if (other >= 0 && stored[other] == actual[other]) throw new StoreVersionException(path, StoreFileFormat.Version, versions[other]);
            if (length < StoreFileFormat.HeaderPageBytes)
                throw new StoreTruncatedException(path, StoreFileFormat.HeaderPageBytes, length, "the header page");
            int bad = states[0] != StoreHeader.SlotState.NoMagic ? 0 : 1;
            string damage = SlotDamage(page, bad, states[bad], versions[bad], stored[bad], actual[bad], out string expected, out string found);
            throw new StoreCorruptedException(path, $"corrupted header: no header slot passes its checks; slot {bad} (offset {StoreFileFormat.HeaderSlotOffset(bad)}): {damage}; slot {1 - bad}: "
                + SlotDamage(page, 1 - bad, states[1 - bad], versions[1 - bad], stored[1 - bad], actual[1 - bad], out _, out _) + ".",
                StoreFileFormat.HeaderSlotOffset(bad), expected, found);
        }
        int best = states[1] != StoreHeader.SlotState.Valid ? 0
            : states[0] != StoreHeader.SlotState.Valid ? 1
            : headers[1].Sequence > headers[0].Sequence ? 1 : 0;
        int previous = 1 - best;
        if (states[previous] == StoreHeader.SlotState.OtherVersion && stored[previous] == actual[previous] && versions[previous] > StoreFileFormat.Version)
            throw new StoreVersionException(path, StoreFileFormat.Version, versions[previous]);
        if (length < StoreFileFormat.HeaderPageBytes)
            throw new StoreTruncatedException(path, StoreFileFormat.HeaderPageBytes, length, "the header page");
        StoreHeader h = headers[best];
        string? problem =
            h.Bits is < CodeLayout.MinBits or > CodeLayout.MaxBits ? $"code bits {h.Bits} outside {CodeLayout.MinBits}..{CodeLayout.MaxBits}"
            : StoreFileFormat.CheckCapacity(new CodeLayout(h.Bits), h.CapacityLog2) is { } capacityProblem ? capacityProblem
            : h.Count < 0 || (h.Count >> h.CapacityLog2) >= int.MaxValue ? $"committed count {h.Count} impossible"
            : h.Deletes < 0 || h.Deletes > h.Count ? $"delete count {h.Deletes} outside 0..{h.Count}"
            : h.Generation < 0 ? $"generation {h.Generation} negative"
            : null;
        if (problem is not null)
            throw new StoreCorruptedException(path, $"header slot {best} passes its checksum but holds an impossible value: {problem}.");
        // A slot of zeros was never written only beside the creation header (sequence 0): every commit
        // writes the slot its sequence's parity names, so past the first both slots have been written, and
        // zeros there are damage (the fuzzer's range copy zeroed a newer slot, and the open fell back).
        if (states[previous] != StoreHeader.SlotState.Valid && !(zero[previous] && h.Sequence == 0))
        {
            // The other slot is damaged. Is there a newer commit than the intact slot's in the file?
            choice.DamagedSlot = previous;
            var format = new StoreFileFormat(new CodeLayout(h.Bits), h.CapacityLog2);
            if ((FindNewerCommit(file, length, format, h) ?? FindUncommittedData(file, length, format, h)) is { } evidence)
            {
                if (!recoverToPrevious)
                {
                    string damage = SlotDamage(page, previous, states[previous], versions[previous], stored[previous], actual[previous], out string expected, out string found);
                    throw new StoreHeaderDamagedException(path, previous, best, h.Count, h.Deletes, damage, evidence, expected, found);
                }
                choice.RolledBack = true;
            }
        }
        return h;
    }

    /// <summary>What is wrong with a header slot that fails its checks, and the expected and actual values.</summary>
    private static string SlotDamage(byte[] page, int slot, StoreHeader.SlotState state, int version, ulong stored, ulong actual, out string expected, out string found)
    {
        int offset = StoreFileFormat.HeaderSlotOffset(slot);
        switch (state)
        {
            case StoreHeader.SlotState.NoMagic:
                expected = $"0x{StoreFileFormat.Magic:X16}";
                found = $"0x{BinaryPrimitives.ReadUInt64LittleEndian(page.AsSpan(offset)):X16}";
                return $"magic expected {expected}, actual {found}";
            case StoreHeader.SlotState.OtherVersion when stored != actual:
                expected = $"version {StoreFileFormat.Version}";
                found = $"version {version}";
                return $"version expected {StoreFileFormat.Version}, actual {version}, and checksum expected 0x{stored:X16}, actual 0x{actual:X16}";
            default:
                expected = $"0x{stored:X16}";
                found = $"0x{actual:X16}";
                return $"checksum expected {expected}, actual {found}";
        }
    }

    /// <summary>
    /// Evidence, read from the file, of a commit newer than <paramref name="committed"/>: a checksum
    /// record in the block holding position <c>Count</c> that covers more codes and matches them, or a
    /// log record covering more tombstone entries and matching them. Every commit after
    /// <paramref name="committed"/> wrote (and synced) one of these before its header; a record left by a
    /// flush that never reached its header is dropped with its tail on open, so it does not survive.
    /// Null when there is none. Reads nothing past the file's end.
    /// </summary>
    private static string? FindNewerCommit(StoreFile file, long length, StoreFileFormat format, StoreHeader committed)
    {
        Span<byte> record = stackalloc byte[StoreFileFormat.RecordBytes];
        long block = committed.Count >> format.CapacityLog2;
        int have = format.FilledIn(block, committed.Count);
        if (format.BlockOffset(block) + format.Stride <= length)
        {
            for (int slot = 0; slot < 2; slot++)
            {
                file.ReadFully(record, format.RecordOffset(block, log: false, slot));
                long filled = BinaryPrimitives.ReadInt64LittleEndian(record);
                if (filled <= have || filled > format.Capacity) continue;
                byte[] codes = new byte[filled * format.Layout.BytesPerCode], ids = new byte[filled * sizeof(long)];
                file.ReadFully(codes, format.BlockOffset(block));
                file.ReadFully(ids, format.BlockOffset(block) + format.IdsOffset);
                if (StoreFileFormat.CodeChecksum(block, codes, ids) == BinaryPrimitives.ReadUInt64LittleEndian(record[8..]))
                    return $"block {block} holds a matching checksum record for {filled} codes (positions up to {(block << format.CapacityLog2) + filled - 1})";
            }
        }
        block = committed.Deletes >> format.CapacityLog2;
        have = format.FilledIn(block, committed.Deletes);
        if (format.BlockOffset(block) + format.Stride <= length)
        {
            for (int slot = 0; slot < 2; slot++)
            {
                file.ReadFully(record, format.RecordOffset(block, log: true, slot));
                long filled = BinaryPrimitives.ReadInt64LittleEndian(record);
                if (filled <= have || filled > format.Capacity) continue;
                byte[] entries = new byte[filled * sizeof(long)];
                file.ReadFully(entries, format.BlockOffset(block) + format.LogOffset);
                if (StoreFileFormat.LogChecksum(block, entries) == BinaryPrimitives.ReadUInt64LittleEndian(record[8..]))
                    return $"the tombstone log of block {block} holds a matching checksum record for {filled} entries (deletes up to {(block << format.CapacityLog2) + filled})";
            }
        }
        return null;
    }

    /// <summary>
    /// Data past <paramref name="committed"/> whose checksum records do not vouch for it: bytes past the
    /// committed blocks, or written code or id slots past the count in the last committed block. With the
    /// other header slot damaged this is as likely a newer commit whose records were damaged too (the
    /// byte-mutation fuzzer found such a file: the newer slot overwritten and the block holding the
    /// committed count shifted; opening at the older commit dropped 29 codes and 2 deletes and reported
    /// them only as recovered tail) as a flush that never committed, so the open refuses as for matching
    /// evidence and leaves the rollback to <see cref="CodeStoreOptions.RecoverToPreviousCommit"/>.
    /// Null when there is none. Reads nothing past the file's end.
    /// </summary>
    private static string? FindUncommittedData(StoreFile file, long length, StoreFileFormat format, StoreHeader committed)
    {
        long blocks = format.BlocksFor(committed.Count), keep = format.FileLength(blocks);
        if (length > keep)
            return $"the file extends {length - keep} bytes past its {blocks} committed blocks ({keep} bytes), and no checksum record vouches for them";
        if (blocks == 0) return null;
        long block = blocks - 1;
        int filled = format.FilledIn(block, committed.Count), words = format.Layout.WordsPerCode;
        if (filled == format.Capacity) return null;
        var codes = new ulong[(format.Capacity - filled) * words];
        var ids = new long[format.Capacity - filled];
        long codesAt = format.BlockOffset(block) + (long)filled * format.Layout.BytesPerCode, idsAt = format.BlockOffset(block) + format.IdsOffset + (long)filled * sizeof(long);
        if (codesAt + codes.Length * sizeof(ulong) > length || idsAt + ids.Length * sizeof(long) > length) return null; // a short file is refused by the open's length check
        file.ReadFully(System.Runtime.InteropServices.MemoryMarshal.AsBytes(codes.AsSpan()), codesAt);
        file.ReadFully(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ids.AsSpan()), idsAt);
        if (CountWritten(codes, ids, words) == 0) return null;
        return $"block {block} holds written code or id bytes past its {filled} committed codes, and no checksum record vouches for them";
    }

    /// <summary>Extends the file to hold a new block; writes zeros over its codes and ids so their space is allocated now.</summary>
    private void Grow(long offset, long end)
    {
        long zeroEnd = offset + _format.LogOffset;
        for (long at = Math.Max(offset, _fileLength); at < zeroEnd; at += Zeros.Length)
            _file.Write(Zeros.AsSpan(0, (int)Math.Min(Zeros.Length, zeroEnd - at)), at);
        _file.SetLength(end);
        _fileLength = end;
    }

    private void WriteHeader(StoreHeader header)
    {
        Span<byte> slot = stackalloc byte[StoreFileFormat.HeaderSlotBytes];
        header.Write(slot);
        _file.Write(slot, StoreFileFormat.HeaderSlotOffset((int)(header.Sequence & 1)));
    }

    private (long Filled, ulong Hash) ReadRecord(long block, bool log, int slot)
    {
        byte* p = UncheckedCodePointer((int)block) + (_format.RecordOffset(block, log, slot) - _format.BlockOffset(block));
        var span = new ReadOnlySpan<byte>(p, StoreFileFormat.RecordBytes);
        return (BinaryPrimitives.ReadInt64LittleEndian(span), BinaryPrimitives.ReadUInt64LittleEndian(span[8..]));
    }

    /// <summary>Writes a checksum record into the slot the committed header does not rely on.</summary>
    private void WriteRecord(long block, bool log, int committedFilled, int filled, ulong hash, Span<byte> record)
    {
        int slot = committedFilled != 0 && ReadRecord(block, log, 0).Filled == committedFilled ? 1 : 0;
        BinaryPrimitives.WriteInt64LittleEndian(record, filled);
        BinaryPrimitives.WriteUInt64LittleEndian(record[8..], hash);
        _file.Write(record, _format.RecordOffset(block, log, slot));
    }

    private ReadOnlySpan<byte> LogEntries(long block, int count) =>
        new(UncheckedCodePointer((int)block) + _format.LogOffset, count * sizeof(long));

    /// <summary>Writes the pending deletes as log entries (position + 1, so an empty entry is 0).</summary>
    private void WriteLogEntries()
    {
        byte[] buffer = new byte[Math.Min(_pendingDeletes.Count, _format.Capacity) * sizeof(long)];
        for (int i = 0; i < _pendingDeletes.Count;)
        {
            long entry = CommittedDeletes + i;
            long block = entry >> _format.CapacityLog2;
            int slot = (int)(entry & (_format.Capacity - 1));
            int run = Math.Min(_pendingDeletes.Count - i, _format.Capacity - slot);
            for (int j = 0; j < run; j++)
                BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(j * sizeof(long)), _pendingDeletes[i + j] + 1);
            _file.Write(buffer.AsSpan(0, run * sizeof(long)), _format.BlockOffset(block) + _format.LogOffset + (long)slot * sizeof(long));
            i += run;
        }
    }

    private void VerifyCodes(long block, long count)
    {
        int filled = _format.FilledIn(block, count);
        if (filled == 0) return;
        var r0 = ReadRecord(block, log: false, 0);
        var r1 = ReadRecord(block, log: false, 1);
        long first = block << BlockCapacityLog2;
        if (r0.Filled != filled && r1.Filled != filled)
            throw new StoreCorruptedException(Path, $"corrupted data block {block} (file offset {_format.BlockOffset(block)}): no checksum record for its {filled} committed codes; expected a record of {filled} codes, actual records of {r0.Filled} and {r1.Filled}.");
        if (_randomAdvised) _file.WillNeed(_format.BlockOffset(block), _format.Stride); // one read of the block, not a fault per page
        ulong actual = _format.CodeChecksum(block, UncheckedCodePointer((int)block), filled);
        if ((r0.Filled == filled && r0.Hash == actual) || (r1.Filled == filled && r1.Hash == actual)) return;
        ulong expected = r0.Filled == filled ? r0.Hash : r1.Hash;
        throw new StoreCorruptedException(Path, $"corrupted data block {block} (positions {first}..{first + filled - 1}, file offset {_format.BlockOffset(block)}): checksum expected 0x{expected:X16}, actual 0x{actual:X16}.");
    }

    private void VerifyLog(long block, long deletes)
    {
        int filled = _format.FilledIn(block, deletes);
        if (filled == 0) return;
        var r0 = ReadRecord(block, log: true, 0);
        var r1 = ReadRecord(block, log: true, 1);
        if (r0.Filled != filled && r1.Filled != filled)
            throw new StoreCorruptedException(Path, $"corrupted tombstone log in block {block}: expected a checksum record of {filled} entries, actual records of {r0.Filled} and {r1.Filled}.");
        ulong actual = StoreFileFormat.LogChecksum(block, LogEntries(block, filled));
        if ((r0.Filled == filled && r0.Hash == actual) || (r1.Filled == filled && r1.Hash == actual)) return;
        ulong expected = r0.Filled == filled ? r0.Hash : r1.Hash;
        throw new StoreCorruptedException(Path, $"corrupted tombstone log in block {block} ({filled} entries, file offset {_format.BlockOffset(block) + _format.LogOffset}): checksum expected 0x{expected:X16}, actual 0x{actual:X16}.");
    }

    /// <summary>
    /// Drops what lies past the committed count: clears the uncommitted slots of the last, partly
    /// filled block (after verifying its committed part: the next commit rewrites its checksum record)
    /// and cuts whole uncommitted blocks off the file. Costs at most one block plus the tail.
    /// </summary>
    private void RecoverTail(StoreRecoveryInfo info)
    {
        long count = CommittedCount, blocks = _format.BlocksFor(count);
        int words = Layout.WordsPerCode;
        int filled = _format.FilledIn(blocks - 1, count);
        if (blocks > 0 && filled < BlockCapacity)
        {
            int last = (int)blocks - 1;
            VerifyCodes(last, count);
            MarkVerified(last);
            ulong* codes = (ulong*)UncheckedCodePointer(last);
            long* ids = (long*)(codes + ((long)BlockCapacity * words));
            long dropped = CountWritten(new ReadOnlySpan<ulong>(codes + (long)filled * words, (BlockCapacity - filled) * words),
                new ReadOnlySpan<long>(ids + filled, BlockCapacity - filled), words);
            if (dropped > 0)
            {
                new Span<ulong>(codes + (long)filled * words, (BlockCapacity - filled) * words).Clear();
                new Span<long>(ids + filled, BlockCapacity - filled).Clear();
                _file.MappedWrite(_format.BlockOffset(last) + (long)filled * Layout.BytesPerCode, (long)(BlockCapacity - filled) * Layout.BytesPerCode);
                _file.MappedWrite(_format.BlockOffset(last) + _format.IdsOffset + (long)filled * sizeof(long), (long)(BlockCapacity - filled) * sizeof(long));
            }
            info.DroppedCodes += dropped;
            ClearRecordsPast(last, log: false, filled);
        }
        long keep = _format.FileLength(blocks);
        if (_fileLength > keep)
        {
            byte[] buffer = new byte[_format.LogOffset];
            for (long b = blocks; _format.BlockOffset(b) < _fileLength; b++)
            {
                Array.Clear(buffer);
                _file.ReadFully(buffer, _format.BlockOffset(b));
                var all = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(buffer);
                info.DroppedCodes += CountWritten(all[..(BlockCapacity * words)],
                    System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(buffer.AsSpan((int)_format.IdsOffset)), words);
            }
            info.DroppedBytes = _fileLength - keep;
            _file.SetLength(keep);
            _fileLength = keep;
            _file.Sync();
        }
    }

    /// <summary>
    /// Zeroes a checksum record of block <paramref name="block"/> that covers more than the
    /// <paramref name="committed"/> entries: a flush that never reached its header wrote it, and it must
    /// not later pass for evidence of a newer commit (see <see cref="FindNewerCommit"/>).
    /// </summary>
    private void ClearRecordsPast(long block, bool log, int committed)
    {
        for (int slot = 0; slot < 2; slot++)
        {
            if (ReadRecord(block, log, slot).Filled > committed)
                _file.Write(Zeros.AsSpan(0, StoreFileFormat.RecordBytes), _format.RecordOffset(block, log, slot));
        }
    }

    /// <summary>Slots holding a non-zero code (of <paramref name="words"/> words) or id.</summary>
    private static int CountWritten(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> ids, int words)
    {
        int written = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            if (ids[i] != 0 || codes.Slice(i * words, words).ContainsAnyExcept(0UL)) written++;
        }
        return written;
    }

    /// <summary>Verifies and applies the committed tombstone log; clears (and reports) uncommitted entries after it.</summary>
    private void LoadTombstones(StoreRecoveryInfo info)
    {
        long deletes = CommittedDeletes;
        for (long b = 0; b < _format.BlocksFor(deletes); b++)
        {
            VerifyLog(b, deletes);
            ReadOnlySpan<byte> entries = LogEntries(b, _format.FilledIn(b, deletes));
            for (int i = 0; i < entries.Length / sizeof(long); i++)
            {
                long entry = (b << BlockCapacityLog2) + i;
                long position = BinaryPrimitives.ReadInt64LittleEndian(entries[(i * sizeof(long))..]) - 1;
                if ((ulong)position >= (ulong)CommittedCount)
                    throw new StoreCorruptedException(Path, $"corrupted tombstone log: entry {entry} names position {position}, expected a position in 0..{CommittedCount - 1}.");
                if (!MarkDeleted(position))
                    throw new StoreCorruptedException(Path, $"corrupted tombstone log: entry {entry} deletes position {position} a second time.");
            }
        }
        if (_format.BlocksFor(deletes + 1) <= BlockCount)
            ClearRecordsPast(deletes >> BlockCapacityLog2, log: true, _format.FilledIn(deletes >> BlockCapacityLog2, deletes));
        long end = (long)BlockCount << BlockCapacityLog2, dropped = 0;
        for (long e = deletes; e < end; e++)
        {
            long block = e >> BlockCapacityLog2;
            if (BinaryPrimitives.ReadInt64LittleEndian(LogEntries(block, BlockCapacity)[(int)((e & (BlockCapacity - 1)) * sizeof(long))..]) == 0) break;
            _file.Write(Zeros.AsSpan(0, sizeof(long)), _format.BlockOffset(block) + _format.LogOffset + (e & (BlockCapacity - 1)) * sizeof(long));
            dropped++;
        }
        info.DroppedDeletes = dropped;
    }
}
