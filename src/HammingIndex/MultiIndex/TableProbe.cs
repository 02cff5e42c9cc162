using System.Numerics;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Visits the buckets of one table whose keys lie at Hamming distance minDistance..maxDistance from
/// the query's substring: by xor-ing every mask of that popcount (Gosper's hack) when there are
/// fewer such masks than slots, otherwise by walking the slots and testing each key.
/// </summary>
internal static class TableProbe
{
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
                if (!verifier.Work.Probe() || !verifier.Visit(table.Bucket(slot))) return false;
            }
            return verifier.Flush();
        }
        for (int d = minDistance; d <= maxDistance; d++)
        {
            ulong mask = BitCombinations.First(d), last = BitCombinations.Last(s, d);
            while (true)
            {
                if (!verifier.Work.Probe() || !verifier.Visit(table.Lookup(querySubstring ^ mask))) return false;
                if (mask == last) break;
                mask = BitCombinations.Next(mask);
            }
        }
        return verifier.Flush();
    }
}
