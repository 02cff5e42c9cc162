namespace HammingIndex.MultiIndex;

/// <summary>
/// Exponential back-off for the front door's k-NN attempts. Where the tables keep losing to the scan
/// (uniform codes, small stores), every abandoned attempt is pure overhead (measured 5-14% of a scan
/// at 1M codes); after f failures in a row the next 2^(f-1) - 1 queries (at most 63) go straight to
/// the scan, and one success resets it. A single failure skips nothing, so where the tables win most
/// queries (clustered codes) the door keeps trying them. Results are exact either way: this only moves time. Updates from
/// concurrent searches may race; any interleaving is a valid state.
/// </summary>
internal struct NearestBackoff
{
    private const int MaxFailures = 7;
    private int _failures;
    private int _skipsLeft;

    /// <summary>Whether this query should try the tables (false: skip straight to the scan).</summary>
    public bool ShouldTry()
    {
        if (Volatile.Read(ref _skipsLeft) <= 0) return true;
        Interlocked.Decrement(ref _skipsLeft);
        return false;
    }

    /// <summary>Records an attempt's outcome.</summary>
    public void Record(bool succeeded)
    {
        if (succeeded)
        {
            // Written only when it changes: the back-off shares a cache line with the searcher's fields
            // that every query reads, and a write per success passed that line between the cores of a
            // batch or of concurrent callers.
            if (Volatile.Read(ref _failures) != 0) Volatile.Write(ref _failures, 0);
            return;
        }
        int failures = Math.Min(MaxFailures, Volatile.Read(ref _failures) + 1);
        Volatile.Write(ref _failures, failures);
        Volatile.Write(ref _skipsLeft, (1 << (failures - 1)) - 1);
    }
}
