namespace HammingIndex.MultiIndex;

/// <summary>
/// Exponential back-off for the front door's k-NN attempts. Where the tables keep losing to the scan
/// (uniform codes, small stores), every abandoned attempt is pure overhead (measured 5-14% of a scan
/// at 1M codes); after f failures in a row the next 2^(f-1) - 1 queries (at most 63) go straight to
/// the scan, and one success resets it. A single failure skips nothing, so where the tables win most
/// queries (clustered codes) the door keeps trying them. Results are exact either way: this only moves time. Updates from
/// concurrent searches may race; any interleaving is a valid state.
/// </summary>
/// <remarks>
/// The door keeps one per class of k (<see cref="ClassOf"/>): whether the tables win depends on k as
/// much as on the data (1M clustered 64-bit codes: 98% of 1-NN queries through the tables, no 100-NN
/// query), and with one state for all k an application asking both had every 1-NN success reset the
/// back-off, so every 100-NN query paid an abandoned attempt on top of its scan.
/// </remarks>
internal struct NearestBackoff
{
    /// <summary>Classes of k: 1, 2–3, 4–7, ..., 64–127, and 128 and more.</summary>
    public const int Classes = 8;

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

    /// <summary>Failures in a row recorded (0 after a success).</summary>
    public readonly int Failures => Volatile.Read(in _failures);

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
        Set(Math.Min(MaxFailures, Volatile.Read(ref _failures) + 1));
    }

    /// <summary>
    /// Backs off as if <paramref name="failures"/> attempts had failed in a row, unless this state is
    /// already that far (a smaller k's run of failures, passed up by <see cref="NearestBackoffs"/>).
    /// </summary>
    public void RaiseTo(int failures)
    {
        if (failures > Volatile.Read(ref _failures)) Set(Math.Min(MaxFailures, failures));
    }

    private void Set(int failures)
    {
        Volatile.Write(ref _failures, failures);
        Volatile.Write(ref _skipsLeft, (1 << (failures - 1)) - 1);
    }

    /// <summary>The back-off class of <paramref name="k"/> (at least 1): floor(log2 k), at most <see cref="Classes"/> - 1.</summary>
    public static int ClassOf(int k) => Math.Min(System.Numerics.BitOperations.Log2((uint)k), Classes - 1);
}

/// <summary>
/// One <see cref="NearestBackoff"/> per class of k, inline in the door (no object of its own to miss in
/// cache). A run of failures at k backs off every larger class at least as far: a query's table work
/// grows with k faster than the scan's heap does, so tables that lost at k lose at larger k (without
/// this, a door asked 1-, 10- and then 100-NN on uniform codes climbed the back-off again at each k,
/// seven attempts each). What passes up is the length of the run, not each failure: a smaller k's
/// isolated failures, each followed by successes that reset only their own class, are no evidence
/// against a larger k (counted one by one, 1M clustered 64-bit codes' rare abandoned 1-NN queries
/// drove 10-NN to the full back-off, and a fifth of its queries, which the tables win, to the scan).
/// A success resets only its own class.
/// </summary>
[System.Runtime.CompilerServices.InlineArray(NearestBackoff.Classes)]
internal struct NearestBackoffs
{
    private NearestBackoff _first;

    /// <summary>Whether a <paramref name="k"/>-NN query should try the tables.</summary>
    public bool ShouldTry(int k) => this[NearestBackoff.ClassOf(k)].ShouldTry();

    /// <summary>Records a <paramref name="k"/>-NN attempt's outcome.</summary>
    public void Record(int k, bool succeeded)
    {
        int from = NearestBackoff.ClassOf(k);
        this[from].Record(succeeded);
        if (succeeded) return;
        int failures = this[from].Failures;
        for (int c = from + 1; c < NearestBackoff.Classes; c++) this[c].RaiseTo(failures);
    }
}
