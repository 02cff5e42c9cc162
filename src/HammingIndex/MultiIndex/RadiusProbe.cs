using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Exact radius search over a multi-index. Write r = t*m + a (0 &lt;= a &lt; m). A code within r of
/// the query is within t of it on one of any a + 1 chosen substrings, or within t - 1 on one of the
/// other m - a - 1: otherwise its distance would be at least (a + 1)(t + 1) + (m - a - 1)t = r + 1
/// (Norouzi et al.'s refinement of the pigeonhole bound; it holds whatever the substring lengths, and
/// a sub-radius at or past a substring's length simply probes every key of that table).
/// Tables 0..a (the longer substrings) are probed at radius t, the rest at t - 1.
/// </summary>
/// <remarks>
/// Count and probe are one pass. The keys of every table's ball (up to <see cref="RingCount.ExactKeys"/>
/// keys a table, <see cref="GatheredKeys"/> in all) are enumerated first, their offsets prefetched across
/// all tables at once and looked up once: the bucket ranges so gathered give the exact work (what the
/// front door prices against the scan, <see cref="SearchCostModel"/>), and are then visited without a
/// second lookup, their buckets prefetched a window ahead. A small radius (one key in each of a few
/// tables) thus costs one round of overlapped offset misses and one of bucket misses, whoever asks; a
/// count ahead of the probe cost the door a round of misses per table that raw probing did not have
/// (bench/README.md). Larger balls are estimated (<see cref="RingCount"/>: sampled, or a walk of the
/// slots) and probed by <see cref="TableProbe"/>, only when the search has a limit.
/// </remarks>
internal static class RadiusProbe
{
    /// <summary>The most keys gathered over all tables of one query (the rest are estimated and probed in place).</summary>
    public const int GatheredKeys = 4096;

    /// <summary>
    /// Fills the scratch's result list (sorted by distance, then id); false if the work limit was
    /// exceeded (results then incomplete), or if the counted work was over it (then nothing was read
    /// beyond the offsets).
    /// </summary>
    public static bool Run(MultiIndexTables tables, StoreMemory memory, long count, ReadOnlySpan<ulong> query, int radius,
        MultiIndexScratch scratch, ref ProbeWork work)
    {
        SubstringSplit split = tables.Split;
        int m = split.Count;
        scratch.BeginQuery(tables);
        Span<ulong> substrings = scratch.QuerySubstrings.AsSpan(0, m);
        split.ExtractAll(query, substrings);
        int t = radius / m, a = radius % m;
        Span<int> subRadii = m <= 256 ? stackalloc int[m] : new int[m];
        for (int j = 0; j < m; j++) subRadii[j] = j <= a ? t : t - 1;

        // Per table, the gathered keys end at gatheredEnd[j] (gatheredEnd[j - 1] = gatheredEnd[j]: not gathered).
        Span<int> gatheredEnd = m <= 256 ? stackalloc int[m] : new int[m];
        bool limited = work.IsLimited;
        double cost = Gather(tables, substrings, subRadii, scratch, gatheredEnd, limited, work.CandidateCost);
        if (limited && cost + work.ScanCost(Math.Max(0, count - tables.IndexedCount), split.Layout.WordsPerCode) > work.Limit) return false;

        if (count > tables.IndexedCount)
        {
            if (!work.Scanned(count - tables.IndexedCount, split.Layout.WordsPerCode)) return false;
            PositionRangeScan.WithinRadius(memory, tables.IndexedCount, count, query, radius, scratch.Results, scratch.Scan);
        }
        var verifier = CandidateVerifier.ForRadius(memory, query, count, scratch, split, radius, work);
        int gathered = m == 0 ? 0 : gatheredEnd[m - 1];
        for (int j = 0; j < m; j++)
        {
            if (subRadii[j] < 0) continue;
            verifier.BeginRadiusTable(j, subRadii);
            int from = j == 0 ? 0 : gatheredEnd[j - 1], to = gatheredEnd[j];
            bool complete = to > from
                ? BucketGather.Visit(tables, scratch, from, to, gathered, ref verifier)
                : TableProbe.Rings(tables.Tables[j], substrings[j], 0, subRadii[j], ref verifier);
            if (!complete)
            {
                work = verifier.Work;
                return false;
            }
        }
        work = verifier.Work;
        scratch.Results.Sort();
        return true;
    }

    /// <summary>
    /// Gathers the bucket ranges of every table whose ball has at most <see cref="RingCount.ExactKeys"/> keys
    /// (while the query's total stays within <see cref="GatheredKeys"/>) into the scratch, and returns the
    /// cost of the whole probe: the gathered balls exactly, the others estimated when <paramref name="limited"/>
    /// (unlimited searches do not price them).
    /// </summary>
    private static double Gather(MultiIndexTables tables, ReadOnlySpan<ulong> substrings, ReadOnlySpan<int> subRadii, MultiIndexScratch scratch,
        Span<int> gatheredEnd, bool limited, double candidateCost)
    {
        int m = subRadii.Length, total = 0;
        double cost = 0;
        for (int j = 0; j < m; j++)
        {
            MultiIndexHashTable table = tables.Tables[j];
            int s = table.SubstringBits, sub = Math.Min(subRadii[j], s);
            double masks = sub < 0 ? 0 : RingCount.Masks(s, 0, sub);
            if (masks > 0 && masks <= RingCount.ExactKeys && masks <= table.SlotCount && total + masks <= GatheredKeys)
            {
                scratch.EnsureRings(total + (int)masks);
                total = BucketGather.Keys(scratch, total, j, s, substrings[j], 0, sub);
            }
            else if (limited && masks > 0)
            {
                cost += SearchCostModel.Ring(RingCount.Count(table, substrings[j], 0, sub), candidateCost);
            }
            gatheredEnd[j] = total;
        }
        return total == 0 ? cost : cost + total * SearchCostModel.ProbeCost + BucketGather.Lookup(tables, scratch, 0, total) * candidateCost;
    }
}
