using System.Numerics;
using HammingIndex.Storage;

namespace HammingIndex.Search;

/// <summary>
/// Cuts the first <c>count</c> positions of pinned store memory into chunks of a power-of-two number
/// of codes that never straddle a store block (the chunk size divides the block capacity).
/// </summary>
internal readonly struct StoreChunks
{
    private readonly StoreMemory _memory;
    private readonly long _count;
    private readonly int _chunkLog2;

    public StoreChunks(StoreMemory memory, long count, int chunkBytes)
    {
        _memory = memory;
        _count = count;
        _chunkLog2 = ChunkLog2(count, memory.Layout.BytesPerCode, chunkBytes, memory.BlockCapacityLog2);
        ChunkCount = (int)((count + (1L << _chunkLog2) - 1) >> _chunkLog2);
    }

    /// <summary>
    /// Codes per chunk (log2): about <paramref name="chunkBytes"/> of codes, at most a block, and large
    /// enough that the chunks of <paramref name="count"/> positions are numbered by an int (a store of
    /// more than 2^31 chunks gets larger chunks rather than an overflowed count).
    /// </summary>
    internal static int ChunkLog2(long count, int bytesPerCode, int chunkBytes, int blockCapacityLog2)
    {
        int codes = Math.Max(1, chunkBytes / bytesPerCode);
        int log2 = Math.Min(BitOperations.Log2((uint)codes), blockCapacityLog2);
        while (log2 < blockCapacityLog2 && ((count + (1L << log2) - 1) >> log2) > int.MaxValue) log2++;
        return log2;
    }

    /// <summary>Number of chunks covering the positions.</summary>
    public int ChunkCount { get; }

    /// <summary>Chunk <paramref name="index"/>: its codes, ids and the tombstones of its block, with the chunk's first slot in that block.</summary>
    public StoreChunk this[int index]
    {
        get
        {
            long first = (long)index << _chunkLog2;
            int block = (int)(first >> _memory.BlockCapacityLog2);
            int slot = (int)(first & (_memory.BlockCapacity - 1));
            int count = (int)Math.Min(1L << _chunkLog2, _count - first);
            if (slot == 0) _memory.SequentialRead(block);
            ReadOnlySpan<ulong> codes = _memory.BlockCodes(block, slot + count).Slice(slot * _memory.Layout.WordsPerCode);
            ReadOnlySpan<long> ids = _memory.BlockIds(block, slot + count).Slice(slot);
            return new StoreChunk(codes, ids, _memory.BlockTombstones(block), slot);
        }
    }
}

/// <summary>A run of codes inside one store block, with their ids and the block's tombstone bitmap.</summary>
internal readonly ref struct StoreChunk(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> ids, ReadOnlySpan<ulong> tombstones, int firstSlot)
{
    public readonly ReadOnlySpan<ulong> Codes = codes;
    public readonly ReadOnlySpan<long> Ids = ids;

    /// <summary>Bit s set = slot s of the block deleted; empty when nothing in the block is deleted.</summary>
    public readonly ReadOnlySpan<ulong> Tombstones = tombstones;

    /// <summary>Block slot of the chunk's first code.</summary>
    public readonly int FirstSlot = firstSlot;

    public int Count => Ids.Length;

    /// <summary>Whether code <paramref name="index"/> of the chunk is deleted.</summary>
    public bool IsDeleted(int index)
    {
        if (Tombstones.IsEmpty) return false;
        int slot = FirstSlot + index;
        return (Volatile.Read(in Tombstones[slot >> 6]) & (1UL << slot)) != 0;
    }
}
