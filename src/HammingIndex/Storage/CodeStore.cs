using HammingIndex.Codes;

namespace HammingIndex.Storage;

/// <summary>
/// A packed store of binary codes, each with a caller-chosen 64-bit id, held in memory or in a
/// memory-mapped file. Positions 0..Count-1 are assigned in append order.
/// </summary>
/// <remarks>
/// Threading contract: any number of concurrent readers (searches, snapshots); one writer at a time
/// (Append, Delete, Flush, Compact are serialized by an internal lock). A reader sees a consistent
/// prefix of the store: the count is published only after the codes below it are written, so a
/// half-written code is never visible. Dispose while readers run is safe: memory is released when the
/// last reader finishes; later calls throw <see cref="ObjectDisposedException"/>.
/// </remarks>
public sealed class CodeStore : IDisposable
{
    private readonly object _writeLock = new();
    private StoreMemory _memory;
    private long _count;
    private long _liveCount;
    private long _generation;
    private IdIndex? _idIndex;
    private bool _disposed;

    private CodeStore(StoreMemory memory)
    {
        _memory = memory;
        Layout = memory.Layout;
    }

    /// <summary>Creates an empty store of <paramref name="bits"/>-bit codes in memory.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is outside 8..4096.</exception>
    public static CodeStore CreateInMemory(int bits)
    {
        var layout = new CodeLayout(bits);
        return new CodeStore(new NativeStoreMemory(layout, StoreMemory.DefaultBlockCapacityLog2(layout)));
    }

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

    /// <summary>Appends one code with its id.</summary>
    /// <exception cref="ArgumentException">The code has the wrong length or non-zero padding.</exception>
    public void Append(ReadOnlySpan<ulong> code, long id)
    {
        Layout.ValidateCode(code);
        lock (_writeLock)
        {
            ThrowIfDisposed();
            long position = _count;
            _memory.EnsureBlocks((int)(position >> _memory.BlockCapacityLog2) + 1);
            _memory.Write(position, code, id);
            _idIndex?.Add(id, position);
            Volatile.Write(ref _liveCount, _liveCount + 1);
            Volatile.Write(ref _count, position + 1); // publish after the code is written
        }
    }

    /// <summary>Appends codes (consecutive, <see cref="CodeLayout.WordsPerCode"/> ulongs each) with one id per code.</summary>
    /// <exception cref="ArgumentException">A code has the wrong length or padding, or the id count differs from the code count.</exception>
    public void AppendRange(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> ids)
    {
        int n = Layout.ValidateCodes(codes);
        if (ids.Length != n)
            ThrowHelper.Argument(nameof(ids), $"{ids.Length} ids were given for {n} codes.");
        int words = Layout.WordsPerCode;
        lock (_writeLock)
        {
            ThrowIfDisposed();
            long start = _count;
            _memory.EnsureBlocks((int)((start + n + _memory.BlockCapacity - 1) >> _memory.BlockCapacityLog2));
            for (int i = 0; i < n; i++)
            {
                _memory.Write(start + i, codes.Slice(i * words, words), ids[i]);
                _idIndex?.Add(ids[i], start + i);
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

    /// <summary>Deletes every live code with id <paramref name="id"/>; returns how many (0 when none).</summary>
    public int TryDelete(long id)
    {
        lock (_writeLock)
        {
            ThrowIfDisposed();
            _idIndex ??= new IdIndex();
            _idIndex.CatchUp(_memory, _count);
            int deleted = 0;
            StoreMemory memory = _memory;
            _idIndex.ForEach(id, p => { if (memory.MarkDeleted(p)) deleted++; });
            Volatile.Write(ref _liveCount, _liveCount - deleted);
            return deleted;
        }
    }

    /// <summary>Makes everything appended and deleted so far durable. A no-op in memory.</summary>
    public void Flush()
    {
        lock (_writeLock) ThrowIfDisposed();
    }

    /// <summary>Rewrites the store without deleted codes; positions are renumbered and <see cref="Generation"/> changes.</summary>
    public void Compact()
    {
        lock (_writeLock)
        {
            ThrowIfDisposed();
            StoreMemory old = _memory;
            var fresh = new NativeStoreMemory(Layout, old.BlockCapacityLog2);
            long kept = 0;
            for (long p = 0; p < _count; p++)
            {
                if (old.IsDeleted(p)) continue;
                fresh.EnsureBlocks((int)(kept >> fresh.BlockCapacityLog2) + 1);
                fresh.Write(kept++, old.Code(p), old.Id(p));
            }
            Volatile.Write(ref _memory, fresh);
            Volatile.Write(ref _count, kept);
            Volatile.Write(ref _liveCount, kept);
            Volatile.Write(ref _generation, _generation + 1);
            _idIndex = null;
            old.Release(); // freed once the last reader of the old generation finishes
        }
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

    /// <summary>Releases the store; memory goes when the last reader finishes.</summary>
    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed) return;
            Volatile.Write(ref _disposed, true);
            _memory.Release();
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed) ThrowHelper.ObjectDisposed(nameof(CodeStore));
    }
}
