using System.Runtime.Intrinsics.X86;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Counting and probing in one pass: the keys of a ring (or a radius search's balls) are gathered into
/// the scratch (<see cref="MultiIndexScratch.RingKeys"/>), looked up once with their offsets prefetched
/// a chunk at a time (over tables: the misses of several tables overlap), which gives their exact
/// bucket entries, the work the front door prices; then the same ranges are visited, each bucket
/// prefetched a window ahead, without a second lookup. The gathered items are (table, key, range).
/// </summary>
internal static class BucketGather
{
    /// <summary>Keys whose offsets are prefetched before they are looked up (as in <see cref="TableProbe"/>).</summary>
    private const int Chunk = 32;

    /// <summary>
    /// Appends the keys of table <paramref name="j"/> at distance <paramref name="minDistance"/>..<paramref name="maxDistance"/>
    /// from <paramref name="querySubstring"/> at <paramref name="at"/> (the caller sized the scratch:
    /// <see cref="MultiIndexScratch.EnsureRings"/>); returns the end.
    /// </summary>
    public static int Keys(MultiIndexScratch scratch, int at, int j, int substringBits, ulong querySubstring, int minDistance, int maxDistance)
    {
        Span<ulong> keys = scratch.RingKeys;
        Span<int> tableOf = scratch.RingTables;
        for (int d = minDistance; d <= Math.Min(maxDistance, substringBits); d++)
        {
            foreach (ulong mask in BitCombinations.WithBits(substringBits, d))
            {
                tableOf[at] = j;
                keys[at++] = querySubstring ^ mask;
            }
        }
        return at;
    }

    /// <summary>Looks up gathered keys from..to-1 into their bucket ranges; returns their entries.</summary>
    public static unsafe long Lookup(MultiIndexTables tables, MultiIndexScratch scratch, int from, int to)
    {
        ReadOnlySpan<ulong> keys = scratch.RingKeys;
        ReadOnlySpan<int> tableOf = scratch.RingTables;
        Span<int> starts = scratch.RingStarts, ends = scratch.RingEnds;
        long entries = 0;
        for (int chunk = from; chunk < to; chunk += Chunk)
        {
            int stop = Math.Min(to, chunk + Chunk);
            if (Sse.IsSupported)
            {
                for (int i = chunk; i < stop; i++)
                {
                    MultiIndexHashTable table = tables.Tables[tableOf[i]];
                    if (!table.IsDirect) continue;
                    fixed (uint* offsets = table.Offsets) Sse.Prefetch0(offsets + keys[i]);
                }
            }
            for (int i = chunk; i < stop; i++)
            {
                (starts[i], ends[i]) = tables.Tables[tableOf[i]].Lookup(keys[i]);
                entries += ends[i] - starts[i];
            }
        }
        return entries;
    }

    /// <summary>
    /// Visits the buckets of gathered items from..to-1 (counting a probe each), a chunk at a time: the
    /// chunk's buckets are prefetched together, then visited (as <see cref="TableProbe"/> does), so their
    /// misses overlap; a chunk's prefetch reaches past <paramref name="to"/> up to <paramref name="prefetchEnd"/>
    /// (the next tables' items), so the small balls of a radius search's tables, a key or a few each,
    /// overlap theirs too. Then flushes; false once the verifier's work limit is exceeded.
    /// </summary>
    public static bool Visit(MultiIndexTables tables, MultiIndexScratch scratch, int from, int to, int prefetchEnd, ref CandidateVerifier verifier)
    {
        ReadOnlySpan<int> tableOf = scratch.RingTables, starts = scratch.RingStarts, ends = scratch.RingEnds;
        for (int chunk = from; chunk < to; chunk += Chunk)
        {
            int stop = Math.Min(to, chunk + Chunk), reach = Math.Max(stop, Math.Min(prefetchEnd, chunk + Chunk));
            for (int i = chunk; i < reach; i++) verifier.Prefetch(tables.Tables[tableOf[i]], starts[i], ends[i]);
            for (int i = chunk; i < stop; i++)
                if (!verifier.Work.Probe() || !verifier.Visit(tables.Tables[tableOf[i]], starts[i], ends[i])) return false;
        }
        return verifier.Flush();
    }
}
