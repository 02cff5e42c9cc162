using HammingIndex.Kernels;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

/// <summary>
/// The scan's chunk loop (<see cref="ChunkScan"/>) over store positions [from, to), skipping deleted
/// codes: how the multi-index searches its delta (codes appended after the tables were built).
/// </summary>
internal static class PositionRangeScan
{
    /// <summary>Adds every live code within <paramref name="radius"/> to <paramref name="results"/> (position order).</summary>
    public static void WithinRadius(StoreMemory memory, long from, long to, ReadOnlySpan<ulong> query, int radius,
        List<Neighbor> results, ScanScratch scratch)
    {
        for (long start = from; start < to;)
        {
            StoreChunk chunk = Chunk(memory, start, to);
            ChunkScan.WithinRadius(query, chunk, radius, results, scratch, KernelPath.Auto);
            start += chunk.Count;
        }
    }

    /// <summary>Offers every live code to <paramref name="collector"/>.</summary>
    public static void TopK(StoreMemory memory, long from, long to, ReadOnlySpan<ulong> query, TopKCollector collector, ScanScratch scratch)
    {
        for (long start = from; start < to;)
        {
            StoreChunk chunk = Chunk(memory, start, to);
            ChunkScan.TopK(query, chunk, collector, scratch, KernelPath.Auto);
            start += chunk.Count;
        }
    }

    /// <summary>The positions from <paramref name="start"/> to the end of its block or <paramref name="to"/>.</summary>
    private static StoreChunk Chunk(StoreMemory memory, long start, long to)
    {
        int block = (int)(start >> memory.BlockCapacityLog2);
        int slot = (int)(start & (memory.BlockCapacity - 1));
        int n = (int)Math.Min(memory.BlockCapacity - slot, to - start);
        ReadOnlySpan<ulong> codes = memory.BlockCodes(block, slot + n).Slice(slot * memory.Layout.WordsPerCode);
        ReadOnlySpan<long> ids = memory.BlockIds(block, slot + n).Slice(slot);
        return new StoreChunk(codes, ids, memory.BlockTombstones(block), slot);
    }
}
