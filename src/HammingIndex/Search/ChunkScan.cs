using HammingIndex.Kernels;

namespace HammingIndex.Search;

/// <summary>
/// The scan of one query over one chunk, in kernel calls of at most the scratch's size: the fused
/// kernel compares every code with the current bound, and only the rare codes that pass touch the
/// top-k collector or the result list (after the tombstone check).
/// </summary>
internal static class ChunkScan
{
    /// <summary>Offers every live code of <paramref name="chunk"/> that can enter the top-k to <paramref name="collector"/>.</summary>
    public static void TopK(ReadOnlySpan<ulong> query, in StoreChunk chunk, TopKCollector collector, ScanScratch scratch, KernelPath path)
    {
        int words = query.Length;
        int n = chunk.Count;
        int maxCall = scratch.Indices.Length;
        Span<int> indices = scratch.Indices;
        Span<int> distances = scratch.Distances;
        for (int done = 0; done < n;)
        {
            // Until the collector is full every code passes: feed it just what it still misses. After
            // that, grow calls geometrically (at most the codes seen so far), so a bound taken early,
            // while still loose, lets only about k codes per call through to the heap.
            int take = collector.IsFull
                ? (int)Math.Clamp(collector.Scanned, 64, maxCall)
                : Math.Clamp(collector.Missing, 16, maxCall);
            take = Math.Min(take, n - done);
            collector.Scanned += take;
            int hits = HammingKernels.CollectWithin(query, chunk.Codes.Slice(done * words, take * words), collector.Bound, indices, distances, path);
            for (int h = 0; h < hits; h++)
            {
                int index = done + indices[h];
                if (chunk.IsDeleted(index)) continue;
                collector.Offer(chunk.Ids[index], distances[h]);
            }
            done += take;
        }
    }

    /// <summary>Appends every live code of <paramref name="chunk"/> within <paramref name="radius"/> to <paramref name="results"/> (position order).</summary>
    public static void WithinRadius(ReadOnlySpan<ulong> query, in StoreChunk chunk, int radius, List<Neighbor> results, ScanScratch scratch, KernelPath path)
    {
        int words = query.Length;
        int n = chunk.Count;
        int maxCall = scratch.Indices.Length;
        Span<int> indices = scratch.Indices;
        Span<int> distances = scratch.Distances;
        for (int done = 0; done < n; done += maxCall)
        {
            int take = Math.Min(maxCall, n - done);
            int hits = HammingKernels.CollectWithin(query, chunk.Codes.Slice(done * words, take * words), radius, indices, distances, path);
            for (int h = 0; h < hits; h++)
            {
                int index = done + indices[h];
                if (chunk.IsDeleted(index)) continue;
                results.Add(new Neighbor(chunk.Ids[index], distances[h]));
            }
        }
    }
}
