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
internal static class RadiusProbe
{
    /// <summary>
    /// Fills the scratch's result list (sorted by distance, then id); false if the work limit was
    /// exceeded (results then incomplete).
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
        if (work.IsLimited && Estimate(tables, count, substrings, subRadii, work.CandidateCost) > work.Limit) return false;
        if (count > tables.IndexedCount)
        {
            if (!work.Scanned(count - tables.IndexedCount, split.Layout.WordsPerCode)) return false;
            PositionRangeScan.WithinRadius(memory, tables.IndexedCount, count, query, radius, scratch.Results, scratch.Scan);
        }
        var verifier = CandidateVerifier.ForRadius(memory, query, count, scratch, split, radius, work);
        for (int j = 0; j < m; j++)
        {
            verifier.BeginRadiusTable(j, subRadii);
            if (!TableProbe.Rings(tables.Tables[j], substrings[j], 0, subRadii[j], ref verifier))
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
    /// The counted cost of the whole search (every table's rings up to its sub-radius, from the
    /// offsets, and the delta's scan), so the front door can choose before reading any entry.
    /// </summary>
    public static double Estimate(MultiIndexTables tables, long count, ReadOnlySpan<ulong> substrings, ReadOnlySpan<int> subRadii, double candidateCost)
    {
        double total = SearchCostModel.ScanCost(Math.Max(0, count - tables.IndexedCount), tables.Split.Layout.WordsPerCode);
        for (int j = 0; j < tables.Split.Count; j++)
            total += SearchCostModel.Ring(RingCount.Count(tables.Tables[j], substrings[j], 0, subRadii[j]), candidateCost);
        return total;
    }
}
