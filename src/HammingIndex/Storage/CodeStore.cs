using HammingIndex.Codes;

namespace HammingIndex.Storage;

/// <summary>
/// A packed store of binary codes, each with a caller-chosen 64-bit id, held in memory or in a
/// memory-mapped file. Positions 0..Count-1 are assigned in append order.
/// </summary>
/// <remarks>
/// <para>Threading contract: any number of concurrent readers (searches, snapshots); one writer at a time
/// (Append, Delete, Flush, Compact, Verify are serialized by an internal lock). A reader sees a consistent
/// prefix of the store: the count is published only after the codes below it are written, so a
/// half-written code is never visible. Dispose while readers run is safe: memory (or the mapping) is
/// released when the last reader finishes; later calls throw <see cref="ObjectDisposedException"/>.</para>
/// <para>File backing (<see cref="Create"/>, <see cref="Open"/>): codes live in a memory-mapped file
/// (the blocks full at open share one mapping, later blocks have one each), never read into managed
/// memory, so a store may be larger than RAM: the page cache holds what is in use. Opening reads no
/// block but the last, partly filled one, and builds no per-code structure (the id index is built on
/// the first lookup or delete by id). <see cref="Flush"/> is the durability point
/// (two-phase commit: data and checksums, fsync, then the header, fsync); after a crash, everything
/// flushed is there and anything after the last completed flush is dropped and reported in
/// <see cref="RecoveryInfo"/>, never read. Opening checks the header and the tombstone log; each data
/// block is checked against its checksum on its first read (or all at open with
/// <see cref="CodeStoreOptions.VerifyOnOpen"/>, or on demand with <see cref="Verify()"/>). The file is
/// locked against a second opener while the store (or a reader of it) is alive. See docs/RELIABILITY.md.</para>
/// </remarks>
public sealed partial class CodeStore : IDisposable
{
    private readonly object _writeLock = new();
    private StoreMemory _memory;
    private long _count;
    private long _liveCount;
    private long _generation;
    private IdIndex? _idIndex;
    private bool _disposed;

    private const string CreatingSuffix = ".creating";
    private const string CompactingSuffix = ".compacting";

    private CodeStore(StoreMemory memory)
    {
        _memory = memory;
        Layout = memory.Layout;
        if (memory is MappedStoreMemory file)
        {
            _count = file.CommittedCount;
            _liveCount = file.CommittedCount - file.CommittedDeletes;
            _generation = file.CommittedGeneration;
            RecoveryInfo = file.Recovery;
        }
    }

    /// <summary>Creates an empty store of <paramref name="bits"/>-bit codes in memory.</summary>
    /// <param name="bits">Code length, 8..4096.</param>
    /// <param name="options">Block capacity; null for the default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is outside 8..4096, or the block capacity is invalid.</exception>
    public static CodeStore CreateInMemory(int bits, CodeStoreOptions? options = null)
    {
        var layout = new CodeLayout(bits);
        return new CodeStore(new NativeStoreMemory(layout, (options ?? new CodeStoreOptions()).CapacityLog2For(layout)));
    }

    /// <summary>
    /// Creates a new, empty store file of <paramref name="bits"/>-bit codes at <paramref name="path"/>
    /// (written under a temporary name and renamed into place, so a crash never leaves a half-made store).
    /// </summary>
    /// <param name="path">The store file; it must not exist.</param>
    /// <param name="bits">Code length, 8..4096.</param>
    /// <param name="options">Block capacity; null for the default (about 1 MiB of codes per block).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is outside 8..4096, or the block capacity is invalid.</exception>
    /// <exception cref="IOException">The file already exists or cannot be written.</exception>
    public static CodeStore Create(string path, int bits, CodeStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var layout = new CodeLayout(bits);
        options ??= new CodeStoreOptions();
        int capacityLog2 = options.CapacityLog2For(layout);
        StoreFileSystem files = options.FileSystem;
        path = System.IO.Path.GetFullPath(path);
        if (files.Exists(path)) throw new IOException($"{path}: a file already exists; open it with CodeStore.Open or delete it first.");
        string temporary = path + CreatingSuffix;
        files.Delete(temporary); // left by an interrupted Create
        MappedStoreMemory memory = MappedStoreMemory.CreateFile(temporary, layout, capacityLog2, generation: 0, files);
        memory.Path = path; // errors name the store, not the temporary name
        bool renamed = false;
        try
        {
            files.Move(temporary, path, overwrite: false);
            renamed = true;
            files.SyncDirectory(path);
        }
        catch
        {
            memory.ReleaseOwner();
            AtomicFile.TryDelete(renamed ? path : temporary, files); // a failed Create leaves no store behind
            throw;
        }
        return new CodeStore(memory);
    }

    /// <summary>
    /// Opens the store file at <paramref name="path"/>. Validates the header, maps the blocks without
    /// reading them, drops the uncommitted tail left by a crash (see <see cref="RecoveryInfo"/>) and
    /// loads the tombstone log. Data blocks are verified on first read unless
    /// <see cref="CodeStoreOptions.VerifyOnOpen"/> is set.
    /// </summary>
    /// <param name="path">The store file.</param>
    /// <param name="options">Null, or <see cref="CodeStoreOptions.VerifyOnOpen"/> to check every block now.</param>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="NotAStoreException">The file is not a store.</exception>
    /// <exception cref="StoreVersionException">The store has another format version.</exception>
    /// <exception cref="StoreCorruptedException">The header, the tombstone log or (when verifying) a block is corrupted.</exception>
    /// <exception cref="StoreTruncatedException">The file is shorter than its header says.</exception>
    /// <exception cref="StoreHeaderDamagedException">The newer header slot is damaged and the file holds its newer commit:
    /// nothing is changed; roll back explicitly with <see cref="CodeStoreOptions.RecoverToPreviousCommit"/>.</exception>
    /// <exception cref="IOException">The file is open elsewhere (it is locked) or cannot be read.</exception>
    public static CodeStore Open(string path, CodeStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        path = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(path)) throw new NotAStoreException(path, "is a directory, not a store file.");
        options ??= new CodeStoreOptions();
        StoreFileSystem files = options.FileSystem;
        MappedStoreMemory memory = MappedStoreMemory.OpenFile(path, options.VerifyOnOpen, options.RecoverToPreviousCommit, files, options.AdviseRandomAccess);
        try
        {
            string leftover = path + CompactingSuffix;
            if (files.Exists(leftover))
            {
                files.Delete(leftover); // an interrupted Compact: the original is intact
                memory.Recovery!.RemovedCompactionFile = true;
            }
        }
        catch
        {
            memory.ReleaseOwner();
            throw;
        }
        return new CodeStore(memory);
    }

    /// <summary>The store file (full path), or null for an in-memory store.</summary>
    public string? Path => (Volatile.Read(ref _memory) as MappedStoreMemory)?.Path;

    /// <summary>What opening the file found and dropped; null for a created or in-memory store.</summary>
    public StoreRecoveryInfo? RecoveryInfo { get; }

    /// <summary>The code layout.</summary>
    public CodeLayout Layout { get; }

    /// <summary>Code length in bits.</summary>
    public int Bits => Layout.Bits;

    /// <summary>Number of positions appended (deleted ones included).</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Number of codes not deleted.</summary>
    public long LiveCount => Volatile.Read(ref _liveCount);

    /// <summary>Changes whenever compaction renumbers positions (indexes over positions must rebuild).</summary>
    public long Generation => Volatile.Read(ref _generation);

    /// <summary>Appends one code with its id (in a file: durable at the next <see cref="Flush"/>).</summary>
    /// <exception cref="ArgumentException">The code has the wrong length or non-zero padding.</exception>
    public void Append(ReadOnlySpan<ulong> code, long id)
    {
        Layout.ValidateCode(code);
        lock (_writeLock)
        {
            ThrowIfDisposed();
            long position = _count;
            _memory.EnsureBlocks(StoreMemory.BlocksFor(position + 1, _memory.BlockCapacityLog2));
            _memory.Write(position, code, id);
            _idIndex?.Add(id, position);
            Volatile.Write(ref _liveCount, _liveCount + 1);
            Volatile.Write(ref _count, position + 1); // publish after the code is written
        }
    }

    /// <summary>
    /// Appends codes (consecutive, <see cref="CodeLayout.WordsPerCode"/> ulongs each) with one id per code
    /// (in a file: durable at the next <see cref="Flush"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A code has the wrong length or padding, or the id count differs from the code count.</exception>
    public void AppendRange(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> ids)
    {
        int n = Layout.ValidateCodes(codes);
        if (ids.Length != n)
            ThrowHelper.Argument(nameof(ids), $"{ids.Length} ids were given for {n} codes.");
        lock (_writeLock)
        {
            ThrowIfDisposed();
            long start = _count;
            _memory.EnsureBlocks(StoreMemory.BlocksFor(start + n, _memory.BlockCapacityLog2));
            _memory.WriteRange(start, codes, ids);
            if (_idIndex is not null)
            {
                for (int i = 0; i < n; i++) _idIndex.Add(ids[i], start + i);
            }
            Volatile.Write(ref _liveCount, _liveCount + n);
            Volatile.Write(ref _count, start + n);
        }
    }

    /// <summary>Deletes every live code with id <paramref name="id"/> (tombstones, skipped by every search).</summary>
    /// <returns>How many codes were deleted.</returns>
    /// <exception cref="KeyNotFoundException">No live code has that id.</exception>
    public int Delete(long id)
    {
        int deleted = TryDelete(id);
        if (deleted == 0) throw new KeyNotFoundException($"No live code has id {id}.");
        return deleted;
    }

    /// <summary>
    /// Deletes every live code with id <paramref name="id"/>; returns how many (0 when none). In a file
    /// the tombstones are durable at the next <see cref="Flush"/>. The first delete builds an id index
    /// (reads every id once).
    /// </summary>
    public int TryDelete(long id)
    {
        lock (_writeLock)
        {
            ThrowIfDisposed();
            _idIndex ??= new IdIndex();
            _idIndex.CatchUp(_memory, _count);
            int deleted = 0;
            StoreMemory memory = _memory;
            var file = memory as MappedStoreMemory;
            _idIndex.ForEach(id, p =>
            {
                if (!memory.MarkDeleted(p)) return;
                deleted++;
                file?.RecordDelete(p);
            });
            Volatile.Write(ref _liveCount, _liveCount - deleted);
            return deleted;
        }
    }

    /// <summary>
    /// Makes everything appended and deleted so far durable: when it returns, a crash loses none of it.
    /// A no-op in memory.
    /// </summary>
    /// <exception cref="IOException">Writing or syncing the file failed (the previous commit stays intact).</exception>
    public void Flush()
    {
        lock (_writeLock)
        {
            ThrowIfDisposed();
            (_memory as MappedStoreMemory)?.Commit(_count, _generation);
        }
    }

    /// <summary>
    /// Checks every committed block and the tombstone log of a file-backed store against their
    /// checksums now (reads the whole file); returns how many codes were checked (0 in memory).
    /// </summary>
    /// <exception cref="StoreCorruptedException">A block or the tombstone log does not match its checksum.</exception>
    public long Verify() => Verify(CancellationToken.None);

    /// <summary>
    /// <see cref="Verify()"/>, cancellable between blocks, telling <paramref name="progress"/> how many of
    /// the committed code blocks it has checked.
    /// </summary>
    /// <exception cref="StoreCorruptedException">A block or the tombstone log does not match its checksum.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (nothing changed).</exception>
    public long Verify(CancellationToken cancellationToken, IProgress<(long Done, long Total)>? progress = null)
    {
        lock (_writeLock)
        {
            ThrowIfDisposed();
            return (_memory as MappedStoreMemory)?.VerifyCommitted(cancellationToken, progress) ?? 0;
        }
    }

    /// <summary>
    /// Rewrites the store without deleted codes; positions are renumbered and <see cref="Generation"/>
    /// changes. A file-backed store is rewritten into a temporary file, committed, and renamed over the
    /// original (so the compacted store is durable when this returns, and a crash leaves either the old
    /// or the new file); readers of the old file keep their mapping until they finish.
    /// </summary>
    public void Compact() => Compact(CancellationToken.None);

    /// <summary>
    /// <see cref="Compact()"/>, cancellable between chunks of positions (a cancelled compaction leaves
    /// the store as it was and removes its temporary file), telling <paramref name="progress"/> how many
    /// of the positions it has copied.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public void Compact(CancellationToken cancellationToken, IProgress<(long Done, long Total)>? progress = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeLock)
        {
            ThrowIfDisposed();
            StoreMemory old = _memory;
            StoreMemory fresh;
            string? path = (old as MappedStoreMemory)?.Path;
            StoreFileSystem files = (old as MappedStoreMemory)?.FileSystem ?? StoreFileSystem.Default;
            string temporary = path + CompactingSuffix;
            if (path is null)
            {
                fresh = new NativeStoreMemory(Layout, old.BlockCapacityLog2);
            }
            else
            {
                files.Delete(temporary);
                fresh = MappedStoreMemory.CreateFile(temporary, Layout, old.BlockCapacityLog2, _generation + 1, files);
            }
            long kept = 0;
            bool renamed = false;
            try
            {
                const long ProgressEvery = 1 << 16;
                for (long p = 0; p < _count; p++)
                {
                    if ((p & (ProgressEvery - 1)) == 0 && p > 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        progress?.Report((p, _count));
                    }
                    if (old.IsDeleted(p)) continue;
                    fresh.EnsureBlocks(StoreMemory.BlocksFor(kept + 1, fresh.BlockCapacityLog2));
                    fresh.Write(kept++, old.Code(p), old.Id(p));
                }
                if (fresh is MappedStoreMemory file)
                {
                    file.Commit(kept, _generation + 1);
                    files.Move(temporary, path!, overwrite: true);
                    renamed = true; // from here the compacted file is the store, even if the directory sync fails
                    file.Path = path!;
                    files.SyncDirectory(path!);
                }
            }
            catch
            {
                if (!renamed)
                {
                    fresh.ReleaseOwner();
                    if (path is not null) AtomicFile.TryDelete(temporary, files);
                    throw;
                }
                ((MappedStoreMemory)fresh).DirectorySyncPending = true; // the next flush retries it
                Swap(old, fresh, kept);
                throw;
            }
            Swap(old, fresh, kept);
        }
    }

    private void Swap(StoreMemory old, StoreMemory fresh, long kept)
    {
        Volatile.Write(ref _memory, fresh);
        Volatile.Write(ref _count, kept);
        Volatile.Write(ref _liveCount, kept);
        Volatile.Write(ref _generation, _generation + 1);
        _idIndex = null;
        old.ReleaseOwner(); // freed once the last reader of the old generation finishes
    }

    /// <summary>Takes a consistent read view of the codes appended so far. Dispose it when done.</summary>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public CodeStoreSnapshot AcquireSnapshot()
    {
        StoreMemory memory = AcquireMemory(out long count, out long generation);
        return new CodeStoreSnapshot(memory, count, generation);
    }

    /// <summary>Pins the current memory for a reader (allocation-free); pair with <see cref="StoreMemory.Release"/>.</summary>
    internal StoreMemory AcquireMemory(out long count, out long generation)
    {
        while (true)
        {
            if (Volatile.Read(ref _disposed)) ThrowHelper.ObjectDisposed(nameof(CodeStore));
            StoreMemory memory = Volatile.Read(ref _memory);
            generation = Volatile.Read(ref _generation);
            count = Volatile.Read(ref _count);
            if (!memory.TryAddRef()) continue; // compaction or dispose released it: look again
            if (ReferenceEquals(memory, Volatile.Read(ref _memory)) && count <= Volatile.Read(ref _count) && generation == Volatile.Read(ref _generation))
                return memory;
            memory.Release();
        }
    }

    /// <summary>
    /// Releases the store; memory (the mapping and the file lock) goes when the last reader finishes.
    /// A file-backed store first commits what is not flushed yet, like <see cref="Flush"/>.
    /// </summary>
    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed) return;
            Volatile.Write(ref _disposed, true);
            try
            {
                (_memory as MappedStoreMemory)?.Commit(_count, _generation);
            }
            finally
            {
                _memory.ReleaseOwner();
            }
        }
    }

    /// <summary>Test hook: lets go of the store like a killed process would, committing nothing.</summary>
    internal void SimulateCrash()
    {
        lock (_writeLock)
        {
            if (_disposed) return;
            Volatile.Write(ref _disposed, true);
            _memory.ReleaseOwner();
        }
    }

    /// <summary>Test hook: the file backing, or null in memory.</summary>
    internal MappedStoreMemory? FileMemory => _memory as MappedStoreMemory;

    private void ThrowIfDisposed()
    {
        if (_disposed) ThrowHelper.ObjectDisposed(nameof(CodeStore));
    }
}
