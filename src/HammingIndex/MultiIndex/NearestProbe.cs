using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Exact k-NN over a multi-index by Norouzi et al.'s incremental search: for t = 0, 1, ... and each
/// table j, probe table j for the keys at distance exactly t. After table j at radius t, a code not
/// yet seen differs by at least t + 1 on substrings 0..j and at least t on the others, so its
/// distance exceeds t*m + j: stop once k verified codes lie within that bound. Once a table has been
/// probed at its full substring length every code has been seen (that covers k &gt; n).
/// </summary>
internal static class NearestProbe
{
    /// <summary>
    /// Writes the k nearest (or all, if fewer) in (distance, id) order into <paramref name="results"/>
    /// and returns how many; -1 if the work limit would be exceeded.
    /// </summary>
    public static int Run(MultiIndexTables tables, StoreMemory memory, long count, ReadOnlySpan<ulong> query, int k,
        MultiIndexScratch scratch, ref ProbeWork work, Span<Neighbor> results)
    {
        SubstringSplit split = tables.Split;
        int m = split.Count;
        int capacity = (int)Math.Min(k, count);
        scratch.BeginQuery(tables);
        TopKCollector collector = scratch.Scan.Collectors(1, Math.Max(capacity, 1), split.Bits)[0];
        if (count > tables.IndexedCount)
        {
            if (!work.Scanned(count - tables.IndexedCount, split.Layout.WordsPerCode)) return -1;
            PositionRangeScan.TopK(memory, tables.IndexedCount, count, query, collector, scratch.Scan);
        }
        Span<ulong> substrings = scratch.QuerySubstrings.AsSpan(0, m);
        split.ExtractAll(query, substrings);
        var verifier = CandidateVerifier.ForTopK(memory, query, count, scratch, split, collector, work);
        bool done = capacity == 0, limited = work.IsLimited, priced = false;
        double candidateCost = work.CandidateCost;
        for (int t = 0; !done; t++)
        {
            for (int j = 0; j < m && !done; j++)
            {
                MultiIndexHashTable table = tables.Tables[j];
                if (limited && !Affordable(tables, substrings, t, j, collector, candidateCost, ref priced, ref verifier.Work))
                {
                    work = verifier.Work;
                    return -1;
                }
                verifier.BeginNearestRing(t, j);
                if (!TableProbe.Rings(table, substrings[j], t, t, ref verifier))
                {
                    work = verifier.Work;
                    return -1;
                }
                if (t >= table.SubstringBits) done = true; // every key of table j probed: all codes seen
                else if (collector.IsFull && collector.Bound <= t * m + j) done = true;
            }
        }
        work = verifier.Work;
        return capacity == 0 ? 0 : collector.Drain(results);
    }

    /// <summary>
    /// Whether ring (t, j) may be probed. While fewer than k codes are held, each ring is counted and
    /// taken while the search stays within the budget's unfilled share. The first time k codes are
    /// held, the rings left until the bound passes the k-th distance are counted (that bound only
    /// shrinks afterwards) and the search goes on only if they all fit the budget; after that each
    /// ring is still counted against the budget, since sampled counts can be off.
    /// </summary>
    private static bool Affordable(MultiIndexTables tables, ReadOnlySpan<ulong> substrings, int t, int j, TopKCollector collector,
        double candidateCost, ref bool priced, ref ProbeWork work)
    {
        double ring = SearchCostModel.Ring(RingCount.Count(tables.Tables[j], substrings[j], t, t), candidateCost);
        if (!collector.IsFull) return !work.WouldExceed(ring, work.Budget.UnfilledUnits);
        if (!priced)
        {
            priced = true;
            return !work.WouldExceed(ring + RemainingCost(tables, substrings, t, j, collector.Bound, candidateCost, work.Budget.Units - work.Spent - ring), work.Budget.Units);
        }
        return !work.WouldExceed(ring, work.Budget.Units);
    }

    /// <summary>
    /// Counted cost of the rings after (t, j) until the bound t*m + j reaches <paramref name="bound"/>;
    /// stops counting once past <paramref name="cap"/> (the answer is then only known to exceed it).
    /// </summary>
    private static double RemainingCost(MultiIndexTables tables, ReadOnlySpan<ulong> substrings, int t, int j, int bound, double candidateCost, double cap)
    {
        int m = tables.Split.Count;
        double total = 0;
        for (int tt = t, jj = j; ; )
        {
            if (tt * m + jj >= bound || tt >= tables.Tables[jj].SubstringBits) return total;
            if (++jj == m) { jj = 0; tt++; }
            MultiIndexHashTable table = tables.Tables[jj];
            total += SearchCostModel.Ring(RingCount.Count(table, substrings[jj], tt, tt), candidateCost);
            if (total > cap) return total;
        }
    }
}
