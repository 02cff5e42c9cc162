using HammingIndex.Kernels;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Linear scan of store positions [from, to) with the Hamming kernels, skipping deleted codes: how
/// the multi-index searches its delta (codes appended after the tables were built).
/// </summary>
internal static class PositionRangeScan
{
    /// <summary>Codes per kernel call (the size of the scratch index and distance buffers).</summary>
    public const int ChunkSize = 1024;

    /// <summary>Adds every live code within <paramref name="radius"/> to <paramref name="results"/>.</summary>
    public static void WithinRadius(StoreMemory memory, long from, long to, ReadOnlySpan<ulong> query, int radius,
        List<Neighbor> results, Span<int> indices, Span<int> distances)
    {
        int words = memory.Layout.WordsPerCode;
        for (long start = from; start < to;)
        {
            int block = (int)(start >> memory.BlockCapacityLog2);
            int slot = (int)(start & (memory.BlockCapacity - 1));
            int n = (int)Math.Min(Math.Min(ChunkSize, memory.BlockCapacity - slot), to - start);
            ReadOnlySpan<ulong> codes = memory.BlockCodes(block, slot + n).Slice(slot * words);
            int found = HammingKernels.CollectWithin(query, codes, radius, indices[..n], distances[..n]);
            ReadOnlySpan<long> ids = memory.BlockIds(block, slot + n);
            ReadOnlySpan<ulong> dead = memory.BlockTombstones(block);
            for (int f = 0; f < found; f++)
            {
                int s = slot + indices[f];
                if (!dead.IsEmpty && (dead[s >> 6] & (1UL << s)) != 0) continue;
                results.Add(new Neighbor(ids[s], distances[f]));
            }
            start += n;
        }
    }

    /// <summary>Offers every live code to <paramref name="heap"/>.</summary>
    public static void IntoHeap(StoreMemory memory, long from, long to, ReadOnlySpan<ulong> query,
        ref NeighborHeap heap, Span<int> distances)
    {
        int words = memory.Layout.WordsPerCode;
        for (long start = from; start < to;)
        {
            int block = (int)(start >> memory.BlockCapacityLog2);
            int slot = (int)(start & (memory.BlockCapacity - 1));
            int n = (int)Math.Min(Math.Min(ChunkSize, memory.BlockCapacity - slot), to - start);
            ReadOnlySpan<ulong> codes = memory.BlockCodes(block, slot + n).Slice(slot * words);
            HammingKernels.Distances(query, codes, distances[..n]);
            ReadOnlySpan<long> ids = memory.BlockIds(block, slot + n);
            ReadOnlySpan<ulong> dead = memory.BlockTombstones(block);
            for (int i = 0; i < n; i++)
            {
                int s = slot + i;
                if (!dead.IsEmpty && (dead[s >> 6] & (1UL << s)) != 0) continue;
                if (heap.Admits(distances[i])) heap.Add(new Neighbor(ids[s], distances[i]));
            }
            start += n;
        }
    }
}
