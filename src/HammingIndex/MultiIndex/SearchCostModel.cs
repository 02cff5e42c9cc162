namespace HammingIndex.MultiIndex;

/// <summary>
/// The front door's cost model, in rough nanoseconds on one core: a bucket probe, a verified
/// candidate (a popcount over the bucket's own copy of the code, or, in tables of positions only,
/// random reads of the seen stamp and the code: mostly cache misses), a kept result (its id and
/// tombstone loads) and a code of the sequential SIMD scan. Only ratios matter; the constants were
/// fitted to the MultiIndex benchmarks (bench/README.md).
/// </summary>
internal static class SearchCostModel
{
    /// <summary>One bucket probe: a mask step, the offsets and the bucket's first line (misses, overlapped a chunk at a time).</summary>
    public const double ProbeCost = 30;

    /// <summary>One candidate in tables of positions only: seen stamp, code, tombstone and id loads, one distance.</summary>
    public const double PositionCandidateCost = 150;

    /// <summary>One candidate in tables with codes: a distance over the bucket read in order.</summary>
    public const double CodeCandidateCost = 10;

    /// <summary>One result kept: its id and tombstone loads (cache misses).</summary>
    public const double ResultCost = 150;

    /// <summary>What one candidate costs in <paramref name="table"/>.</summary>
    public static double CandidateCost(MultiIndexHashTable table) => table.HasCodes ? CodeCandidateCost : PositionCandidateCost;

    /// <summary>What one candidate costs in <paramref name="tables"/>.</summary>
    public static double CandidateCost(MultiIndexTables tables) => tables.HasCodes ? CodeCandidateCost : PositionCandidateCost;

    /// <summary>One slot of a table walked linearly (when that is cheaper than enumerating masks).</summary>
    public const double SlotCost = 1;

    /// <summary>
    /// The multi-index may spend at most this fraction of a scan's cost before the front door gives
    /// up on it and scans: the worst case is the scan plus this much. With the codes in the tables
    /// and the k-NN back-off, 8% keeps the door within 1.05x of the scan on every row of the paired
    /// run, radius and k-NN alike, and lets it answer 100-NN on clustered 10M codes through the tables.
    /// </summary>
    public const double FallbackFraction = 0.08;

    /// <summary>
    /// k-NN over tables of positions only may spend this share of <see cref="FallbackFraction"/>
    /// (2.4% of a scan): there every candidate is a random read of the store, and an abandoned attempt
    /// costs more (measured: at 8% the door reached 1.11x the scan on uniform 10M 64-bit 1-NN).
    /// </summary>
    public const double PositionsOnlyNearestShare = 0.3;

    /// <summary>The share of <see cref="FallbackFraction"/> a k-NN attempt on <paramref name="tables"/> may spend.</summary>
    public static double NearestShare(MultiIndexTables tables) => tables.HasCodes ? 1 : PositionsOnlyNearestShare;

    /// <summary>
    /// A k-NN search whose remaining rings are predicted to fit this fraction of a scan may spend up
    /// to it (the prediction assumes the k-th distance stops shrinking, so it rarely falls short).
    /// Raised from 0.3: at 0.5 the door answers 99% of 10M uniform 1-NN queries through the tables
    /// (0.24x the scan, was 0.44x) and 60% of 1M clustered 128-bit 10-NN (0.66x, was 0.99x), within
    /// 1.07x of the scan on every row of both layouts.
    /// </summary>
    public const double ExtendedFraction = 0.5;

    /// <summary>One code of the sequential scan: 0.3 per 64-bit word, the measured ns per code of a scan from DRAM (10M codes).</summary>
    public static double ScanCostPerCode(int wordsPerCode) => 0.3 * wordsPerCode;

    /// <summary>A scan over <paramref name="codes"/> codes.</summary>
    public static double ScanCost(long codes, int wordsPerCode) => codes * ScanCostPerCode(wordsPerCode);

    /// <summary>
    /// Expected cost of probing <paramref name="table"/> for every key at distance
    /// <paramref name="minDistance"/>..<paramref name="maxDistance"/> from the query's substring,
    /// assuming uniformly spread keys: probes, plus positions * (share of keys probed) candidates.
    /// </summary>
    public static double Rings(MultiIndexHashTable table, int minDistance, int maxDistance)
    {
        int s = table.SubstringBits;
        maxDistance = Math.Min(maxDistance, s);
        if (minDistance > maxDistance) return 0;
        double masks = 0;
        for (int d = minDistance; d <= maxDistance; d++) masks += BitCombinations.Count(s, d);
        double probes = masks > table.SlotCount ? table.SlotCount * SlotCost : masks * ProbeCost;
        double share = Math.Min(1.0, masks / Math.Pow(2, s));
        return probes + table.PositionCount * share * CandidateCost(table);
    }

    /// <summary>Expected cost of a radius search: each table at its sub-radius (see <see cref="RadiusProbe"/>).</summary>
    public static double Radius(MultiIndexTables tables, int radius)
    {
        int m = tables.Split.Count, t = radius / m, a = radius % m;
        double total = 0;
        for (int j = 0; j < m; j++) total += Rings(tables.Tables[j], 0, j <= a ? t : t - 1);
        return total;
    }
}
