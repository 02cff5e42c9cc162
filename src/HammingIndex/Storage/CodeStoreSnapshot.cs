using HammingIndex.Codes;

namespace HammingIndex.Storage;

/// <summary>
/// A consistent read view of a <see cref="CodeStore"/>: the prefix of codes appended before it was
/// taken, pinned in memory until disposed (the store cannot unmap or free it meanwhile). Deletes made
/// after it was taken may or may not be visible. Thread-safe; dispose once when done.
/// </summary>
public sealed class CodeStoreSnapshot : IDisposable
{
    private StoreMemory? _memory;

    internal CodeStoreSnapshot(StoreMemory memory, long count, long generation)
    {
        _memory = memory;
        Count = count;
        Generation = generation;
        Layout = memory.Layout;
    }

    /// <summary>The code layout.</summary>
    public CodeLayout Layout { get; }

    /// <summary>Number of positions visible (deleted ones included).</summary>
    public long Count { get; }

    /// <summary>The store generation: it changes when compaction renumbers positions.</summary>
    public long Generation { get; }

    /// <summary>Number of blocks covering <see cref="Count"/> positions.</summary>
    public int BlockCount => (int)((Count + Memory.BlockCapacity - 1) >> Memory.BlockCapacityLog2);

    /// <summary>Codes per block (a power of two); block b starts at position b * BlockCapacity.</summary>
    public int BlockCapacity => Memory.BlockCapacity;

    internal StoreMemory Memory => _memory ?? throw new ObjectDisposedException(nameof(CodeStoreSnapshot));

    /// <summary>Block <paramref name="index"/>, trimmed to the snapshot's count.</summary>
    public CodeBlock GetBlock(int index)
    {
        StoreMemory memory = Memory;
        if ((uint)index >= (uint)BlockCount)
            ThrowHelper.ArgumentOutOfRange(nameof(index), index, $"The snapshot has {BlockCount} blocks.");
        long first = (long)index << memory.BlockCapacityLog2;
        int count = (int)Math.Min(memory.BlockCapacity, Count - first);
        memory.SequentialRead(index); // blocks are mostly read in order: a store advised random reads ahead
        return new CodeBlock(first, count, memory.BlockCodes(index, count), memory.BlockIds(index, count), memory.BlockTombstones(index));
    }

    /// <summary>The code at <paramref name="position"/> (0 &lt;= position &lt; <see cref="Count"/>).</summary>
    public ReadOnlySpan<ulong> GetCode(long position)
    {
        CheckPosition(position);
        return Memory.Code(position);
    }

    /// <summary>The id of the code at <paramref name="position"/>.</summary>
    public long GetId(long position)
    {
        CheckPosition(position);
        return Memory.Id(position);
    }

    /// <summary>Whether the code at <paramref name="position"/> is deleted.</summary>
    public bool IsDeleted(long position)
    {
        CheckPosition(position);
        return Memory.IsDeleted(position);
    }

    /// <summary>Releases the pinned memory. Idempotent.</summary>
    public void Dispose() => Interlocked.Exchange(ref _memory, null)?.Release();

    private void CheckPosition(long position)
    {
        if ((ulong)position >= (ulong)Count)
            ThrowHelper.ArgumentOutOfRange(nameof(position), position, $"The snapshot holds positions 0..{Count - 1}.");
    }
}
