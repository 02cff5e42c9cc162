using System.Diagnostics;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

/// <summary>
/// The front door of exact search over a <see cref="CodeStore"/>: per query it chooses between
/// multi-index probing and the linear scan with a cost model, and says which ran.
/// </summary>
/// <remarks>
/// The model compares the expected probes and candidates of the multi-index with the cost of
/// scanning n codes. The multi-index is tried only when it is expected to cost a small fraction
/// (<c>SearchCostModel.FallbackFraction</c>) of the scan, and is abandoned for the scan as soon as
/// it would spend more than that (k-NN checks before each ring of probes), so a query is never more
/// than about that fraction slower than the scan alone. The budget is counted both in model units
/// and in wall-clock time at the scan speed this searcher last measured, so it holds even where
/// the model's constants are off. A k-NN search that holds k codes knows which rings remain; when
/// those are predicted to fit a larger share of the scan (<c>SearchCostModel.ExtendedFraction</c>)
/// it may finish within that, since it will then most likely beat the scan by far.
/// Both paths return identical results.
/// Thread-safe like <see cref="MultiIndexHash"/>.
/// </remarks>
public sealed partial class MultiIndexSearcher
{
    private double _scanNanosecondsPerCode;
    private NearestBackoff _nearestBackoff;

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

    /// <summary>The share of a scan's cost the multi-index may spend before the scan takes over (tests force either path).</summary>
    internal double FallbackFraction { get; set; } = SearchCostModel.FallbackFraction;

    /// <summary>The share of a scan's cost a k-NN search predicted to finish within it may spend.</summary>
    internal double ExtendedFraction { get; set; } = SearchCostModel.ExtendedFraction;

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
        long start = Stopwatch.GetTimestamp();
        Neighbor[] scanned = Scan.WithinRadius(query, radius);
        ObserveScan(start, count);
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
        long start = Stopwatch.GetTimestamp();
        Neighbor[] scanned = Scan.TopK(query, k);
        ObserveScan(start, count);
        return new SearchResult(scanned, SearchPath.Scan, count + candidates);
    }

    /// <summary>Tries the tables for a radius query within its budget.</summary>
    private bool TryRadius(ReadOnlySpan<ulong> query, int radius, long count, out SearchResult answer, out long candidates)
    {
        var results = new List<Neighbor>();
        bool found = Index.TryWithinRadius(query, radius, results, Budget(count, FallbackFraction), out candidates);
        answer = found ? new SearchResult([.. results], SearchPath.MultiIndex, candidates) : default;
        return found;
    }

    /// <summary>Tries the tables for a k-NN query within its budget, unless the back-off says to skip them.</summary>
    private bool TryNearest(ReadOnlySpan<ulong> query, int k, long count, out SearchResult answer, out long candidates)
    {
        SearchBudget budget = Budget(count, FallbackFraction * SearchCostModel.NearestShare(Index.Tables));
        answer = default;
        candidates = 0;
        // Collecting k of n codes through the tables costs more than the scan once k is a sizeable share of n.
        if (k * SearchCostModel.ResultCost > budget.ExtendedUnits || (!budget.IsUnlimited && !_nearestBackoff.ShouldTry())) return false;
        bool found = Index.TryTopK(query, k, budget, out Neighbor[]? results, out candidates);
        _nearestBackoff.Record(found);
        if (found) answer = new SearchResult(results!, SearchPath.MultiIndex, candidates);
        return found;
    }

    /// <summary>
    /// The multi-index may spend FallbackFraction of the scan's cost, in model units and in time at
    /// the scan speed last observed here (the model's speed until a scan has run); a k-NN search whose
    /// remaining rings are predicted to fit ExtendedFraction of the scan may go on up to that.
    /// </summary>
    private SearchBudget Budget(long count, double fraction)
    {
        if (double.IsPositiveInfinity(fraction)) return SearchBudget.Unlimited;
        double extended = Math.Max(fraction, ExtendedFraction);
        double scanUnits = SearchCostModel.ScanCost(count, Store.Layout.WordsPerCode);
        double nsPerCode = Volatile.Read(ref _scanNanosecondsPerCode);
        if (nsPerCode <= 0) nsPerCode = SearchCostModel.ScanCostPerCode(Store.Layout.WordsPerCode);
        double scanSeconds = count * nsPerCode * 1e-9;
        return SearchBudget.FromNow(fraction * scanUnits, fraction * scanSeconds, extended * scanUnits, extended * scanSeconds);
    }

    /// <summary>Keeps a moving average of the scan's speed on this machine (racy updates are harmless).</summary>
    private void ObserveScan(long startTicks, long count)
    {
        if (count < 4096) return; // too short to time
        double ns = Stopwatch.GetElapsedTime(startTicks).TotalNanoseconds / count;
        double old = Volatile.Read(ref _scanNanosecondsPerCode);
        Volatile.Write(ref _scanNanosecondsPerCode, old <= 0 ? ns : 0.8 * old + 0.2 * ns);
    }
}
