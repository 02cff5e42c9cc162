using System.Diagnostics;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

/// <summary>
/// The front door of exact search over a <see cref="CodeStore"/>: per query it chooses between
/// multi-index probing and the linear scan from work counted in advance, and says which ran.
/// </summary>
/// <remarks>
/// The bucket sizes a probe will touch are known from the tables' offsets before any entry is read, so
/// the multi-index's work is counted, not guessed (<c>RingCount</c>; sampled when a ring has too many
/// keys to count) and priced with the constants of <c>SearchCostModel</c> against a scan of n codes.
/// A radius search counts all its rings (looking small balls' keys up once, <c>BucketGather</c>, then
/// probing the ranges found) and takes the tables only if they cost less than the scan. A k-NN search
/// counts each ring as it looks its keys up, before reading any entry of it: while it holds fewer than
/// k codes, or before level two, it may spend <c>SearchCostModel.UnfilledFraction</c> of a scan; then
/// the rings left until its bound passes the k-th distance are counted and it goes on if they fit the
/// scan's cost; if not, it estimates its k-th distance from the first rings' counts (<c>NearestPlan</c>,
/// <c>DistanceModel</c>) and commits when the rings up to it fit; once two levels are read it estimates
/// the k-th distance again from the codes held (those the model cannot explain count as found) and
/// stops when the rings to it do not fit. Where k-NN attempts keep failing
/// (uniform codes), an exponential back-off (one per class of k) sends queries straight to the scan for a while.
/// The choice is a comparison of counted work, never a clock's budget; only the price of a scanned word,
/// which moves with the machine's memory bandwidth and cache, is learnt from the door's own long scans
/// (<c>ScanCalibration</c>, clamped to [0.5, 4] times the model's), and every read of the store is priced
/// with it: the scans, and each candidate of tables of positions only while the store fits the cache.
/// Both paths return identical results. Thread-safe like <see cref="MultiIndexHash"/>.
/// </remarks>
public sealed partial class MultiIndexSearcher
{
    private NearestBackoffs _nearestBackoffs;
    private ScanCalibration _scanCalibration;

    /// <summary>Builds a multi-index over <paramref name="store"/> and searches through it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="scanOptions"/> holds an invalid value.</exception>
    public MultiIndexSearcher(CodeStore store, MultiIndexOptions? options = null, ScanOptions? scanOptions = null)
        : this(new MultiIndexHash(store, options), scanOptions)
    {
    }

    /// <summary>Searches through an existing multi-index (for instance one loaded from a file).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="index"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="scanOptions"/> holds an invalid value.</exception>
    public MultiIndexSearcher(MultiIndexHash index, ScanOptions? scanOptions = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        Index = index;
        Scan = new ScanSearcher(index.Store, scanOptions);
    }

    /// <summary>The multi-index.</summary>
    public MultiIndexHash Index { get; }

    /// <summary>
    /// What the multi-index is compared with: this times the scan's cost (tests force either path:
    /// infinity always takes the tables, 0 only when they cost nothing).
    /// </summary>
    internal double ScanCostScale { get; set; } = 1;

    /// <summary>The price of a scanned word on this machine, learnt from this door's scans.</summary>
    internal ref ScanCalibration ScanCalibration => ref _scanCalibration;

    /// <summary>Whether <paramref name="k"/>-NN searches now probe their first rings unpriced (<see cref="NearestBackoff.Trusted"/>).</summary>
    internal bool IsTrusted(int k) => _nearestBackoffs.Trusted(k);

    /// <summary>Forgets the k-NN back-off's failures (benchmarks trace every query's attempt).</summary>
    internal void ResetBackoff() => _nearestBackoffs = default;

    /// <summary>The exact scan used when the multi-index would not pay.</summary>
    public ScanSearcher Scan { get; }

    /// <summary>The store searched.</summary>
    public CodeStore Store => Index.Store;

    /// <summary>All live codes within <paramref name="radius"/> of <paramref name="query"/>, sorted by distance, then id.</summary>
    /// <exception cref="ArgumentException">The query has the wrong length or non-zero padding.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..bits.</exception>
    public SearchResult WithinRadius(ReadOnlySpan<ulong> query, int radius)
    {
        Store.Layout.ValidateCode(query);
        ThrowHelper.CheckRadius(radius, Store.Bits);
        long count = Store.Count;
        if (TryRadius(query, radius, count, out SearchResult answer, out long candidates)) return answer;
        long start = StartScan(count, 0, out double units);
        Neighbor[] scanned = Scan.WithinRadius(query, radius);
        EndScan(start, units);
        return new SearchResult(scanned, SearchPath.Scan, count + candidates);
    }

    /// <summary>The <paramref name="k"/> nearest live codes (all of them if fewer), sorted by distance, then id.</summary>
    /// <exception cref="ArgumentException">The query has the wrong length or non-zero padding.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    public SearchResult TopK(ReadOnlySpan<ulong> query, int k)
    {
        Store.Layout.ValidateCode(query);
        ThrowHelper.CheckK(k);
        long count = Store.Count;
        if (TryNearest(query, k, count, out SearchResult answer, out long candidates)) return answer;
        long start = StartScan(count, k, out double units);
        Neighbor[] scanned = Scan.TopK(query, k);
        EndScan(start, units);
        return new SearchResult(scanned, SearchPath.Scan, count + candidates);
    }

    /// <summary>
    /// Writes the <paramref name="k"/> nearest live codes into <paramref name="results"/> (at least k long),
    /// sorted by distance, then id, whichever path answers; returns how many: min(k, live codes).
    /// Allocation-free after warm-up on both paths.
    /// </summary>
    /// <exception cref="ArgumentException">The query has the wrong length or non-zero padding, or <paramref name="results"/> is shorter than k.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    public int TopK(ReadOnlySpan<ulong> query, int k, Span<Neighbor> results)
    {
        Store.Layout.ValidateCode(query);
        ThrowHelper.CheckResults(k, results.Length);
        long count = Store.Count;
        int written = TryNearest(query, k, count, results, out _);
        if (written >= 0) return written;
        long start = StartScan(count, k, out double units);
        written = Scan.TopK(query, k, results);
        EndScan(start, units);
        return written;
    }

    /// <summary>Appends every live code within <paramref name="radius"/> of <paramref name="query"/> to <paramref name="results"/>, sorted by distance, then id.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="results"/> is null.</exception>
    /// <exception cref="ArgumentException">The query has the wrong length or non-zero padding.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..bits.</exception>
    public void WithinRadius(ReadOnlySpan<ulong> query, int radius, List<Neighbor> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        Store.Layout.ValidateCode(query);
        ThrowHelper.CheckRadius(radius, Store.Bits);
        // The tables append only a complete answer, so a failed attempt leaves the list as it was.
        long count = Store.Count;
        if (Index.TryWithinRadius(query, radius, results, Budget(count), out _)) return;
        long start = StartScan(count, 0, out double units);
        Scan.WithinRadius(query, radius, results);
        EndScan(start, units);
    }

    /// <summary>
    /// Before a lone query's scan of <paramref name="count"/> codes (top-<paramref name="k"/>, or radius
    /// when k is 0): its modelled cost, and the clock when it is long enough to be timed (else 0).
    /// </summary>
    private long StartScan(long count, int k, out double units)
    {
        units = ScanUnits(count, k);
        return _scanCalibration.Times(SearchCostModel.ScanCost(count, Store.Layout.WordsPerCode), units) ? Stopwatch.GetTimestamp() : 0;
    }

    /// <summary>The modelled cost of a lone scan of <paramref name="count"/> codes: top-<paramref name="k"/>, or radius when k is 0.</summary>
    private double ScanUnits(long count, int k)
    {
        int words = Store.Layout.WordsPerCode;
        return k > 0 ? SearchCostModel.ScanTopKCost(count, words, k) : SearchCostModel.ScanCost(count, words);
    }

    /// <summary>After a scan begun by <see cref="StartScan"/>: records its time.</summary>
    private void EndScan(long start, double units)
    {
        if (start != 0) _scanCalibration.Record(units, Stopwatch.GetTimestamp() - start);
    }

    /// <summary>Tries the tables for a radius query if its counted rings cost less than the scan.</summary>
    private bool TryRadius(ReadOnlySpan<ulong> query, int radius, long count, out SearchResult answer, out long candidates)
    {
        bool found = Index.TryWithinRadius(query, radius, Budget(count), out Neighbor[]? results, out candidates);
        answer = found ? new SearchResult(results!, SearchPath.MultiIndex, candidates) : default;
        return found;
    }

    /// <summary>Tries the tables for a k-NN query within its budget, unless the back-off says to skip them.</summary>
    private bool TryNearest(ReadOnlySpan<ulong> query, int k, long count, out SearchResult answer, out long candidates)
    {
        answer = default;
        candidates = 0;
        if (!TryNearestBudget(k, count, out SearchBudget budget)) return false;
        bool found = Index.TryTopK(query, k, budget, out Neighbor[]? results, out candidates, out double spent);
        _nearestBackoffs.Record(k, found, budget.ShareOf(spent));
        if (found) answer = new SearchResult(results!, SearchPath.MultiIndex, candidates);
        return found;
    }

    /// <summary>Tries the tables for a k-NN query into <paramref name="results"/>: how many were written, or -1 when the tables did not answer.</summary>
    private int TryNearest(ReadOnlySpan<ulong> query, int k, long count, Span<Neighbor> results, out long candidates)
    {
        candidates = 0;
        if (!TryNearestBudget(k, count, out SearchBudget budget)) return -1;
        int written = Index.TryTopK(query, k, budget, results, out candidates, out double spent);
        _nearestBackoffs.Record(k, written >= 0, budget.ShareOf(spent));
        return written;
    }

    /// <summary>The budget of a k-NN attempt; false when the tables are not to be tried at all.</summary>
    private bool TryNearestBudget(int k, long count, out SearchBudget budget)
    {
        budget = Budget(count, k);
        // Collecting k of n codes through the tables costs more than the scan once k is a sizeable share of n.
        if (k * SearchCostModel.ResultCost > budget.Units || !(budget.IsUnlimited || _nearestBackoffs.ShouldTry(k))) return false;
        if (!budget.IsUnlimited && _nearestBackoffs.Trusted(k)) budget = budget with { FreeUnits = SearchCostModel.TrustedFreeFraction * budget.Units };
        return true;
    }

    /// <summary>
    /// The multi-index may cost what the scan of <paramref name="count"/> codes costs (times
    /// <see cref="ScanCostScale"/> and the learnt price of a scanned word): a radius scan, or a
    /// top-<paramref name="k"/> scan when k is positive.
    /// </summary>
    internal SearchBudget Budget(long count, int k = 0)
    {
        double scale = ScanCostScale;
        if (double.IsPositiveInfinity(scale)) return SearchBudget.Unlimited;
        double price = _scanCalibration.Scale;
        double scan = scale * price * ScanUnits(count, k);
        return new SearchBudget(scan, SearchCostModel.UnfilledFraction * scan) { StorePrice = price };
    }
}
