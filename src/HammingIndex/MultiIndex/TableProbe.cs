using System.Numerics;
using System.Runtime.Intrinsics.X86;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Visits the buckets of one table whose keys lie at Hamming distance minDistance..maxDistance from
/// the query's substring: by xor-ing every mask of that popcount (Gosper's hack) when there are
/// fewer such masks than slots, otherwise by walking the slots and testing each key.
/// </summary>
/// <remarks>
/// On a table larger than the caches each probe is two dependent misses (the offsets, then the
/// bucket). Keys are therefore taken a chunk at a time: the chunk's offsets are prefetched, then its
/// buckets, and only then visited, so the misses of a chunk overlap.
/// </remarks>
internal static class TableProbe
{
    private const int Chunk = 32;

    /// <summary>Visits and verifies (flushes) every such bucket; false once the verifier's work limit is exceeded.</summary>
    public static bool Rings(MultiIndexHashTable table, ulong querySubstring, int minDistance, int maxDistance, ref CandidateVerifier verifier)
    {
        int s = table.SubstringBits;
        maxDistance = Math.Min(maxDistance, s);
        if (minDistance > maxDistance) return true;
        double masks = 0;
        for (int d = minDistance; d <= maxDistance; d++) masks += BitCombinations.Count(s, d);
        if (masks > table.SlotCount)
        {
            int slots = table.SlotCount;
            for (int slot = 0; slot < slots; slot++)
            {
                int d = BitOperations.PopCount(table.KeyAt(slot) ^ querySubstring);
                if (d < minDistance || d > maxDistance) continue;
                var (start, end) = table.Bucket(slot);
                if (!verifier.Work.Probe() || !verifier.Visit(table, start, end)) return false;
            }
            return verifier.Flush();
        }
        Span<ulong> keys = stackalloc ulong[Chunk];
        int queued = 0;
        for (int d = minDistance; d <= maxDistance; d++)
        {
            foreach (ulong mask in BitCombinations.WithBits(s, d))
            {
                keys[queued++] = querySubstring ^ mask;
                if (queued < Chunk) continue;
                if (!ProbeChunk(table, keys, ref verifier)) return false;
                queued = 0;
            }
        }
        return (queued == 0 || ProbeChunk(table, keys[..queued], ref verifier)) && verifier.Flush();
    }

    private static unsafe bool ProbeChunk(MultiIndexHashTable table, scoped ReadOnlySpan<ulong> keys, ref CandidateVerifier verifier)
    {
        if (Sse.IsSupported && table.IsDirect)
        {
            fixed (uint* offsets = table.Offsets)
            {
                foreach (ulong key in keys) Sse.Prefetch0(offsets + key);
            }
        }
        Span<int> starts = stackalloc int[Chunk], ends = stackalloc int[Chunk];
        for (int i = 0; i < keys.Length; i++)
        {
            (starts[i], ends[i]) = table.Lookup(keys[i]);
            verifier.Prefetch(table, starts[i], ends[i]);
        }
        for (int i = 0; i < keys.Length; i++)
        {
            if (!verifier.Work.Probe() || !verifier.Visit(table, starts[i], ends[i])) return false;
        }
        return true;
    }
}
