namespace HammingIndex.MultiIndex;

/// <summary>
/// Exponential back-off for the front door's k-NN attempts. Where the tables keep losing to the scan
/// (uniform codes, small stores), every abandoned attempt is pure overhead (measured 5-14% of a scan
/// at 1M codes); after f failures in a row the next 2^(f-1) - 1 queries (at most 63) go straight to
/// the scan, and a success resets it. A single failure skips nothing, so where the tables win most
/// queries (clustered codes) the door keeps trying them. Results are exact either way: this only moves time. Updates from
/// concurrent searches may race; any interleaving is a valid state.
/// </summary>
/// <remarks>
/// <para>A success resets the back-off only while attempting still pays: the state keeps a running value of
/// the attempts, in scans (each success adds the share of the budget it left unspent, each failure takes
/// away the share it spent; three quarters of the value carry over to the next attempt, and it is held
/// within one scan either way). Where the tables and the scan cost the same, a success saves nothing,
/// while the queries whose estimate put them out of reach each spent a quarter of a scan before they
/// were scanned: 1M uniform 64-bit codes in tables with codes, 10-NN, 25–31% of the queries through the
/// tables at 1.14–1.47 times the faster path, where raw MIH took 0.77–1.09 of the scan's time
/// (bench/README.md, eighteenth session). Such successes count as failures, and the door scans.</para>
/// <para>The door keeps one per class of k (<see cref="ClassOf"/>): whether the tables win depends on k as
/// much as on the data (1M clustered 64-bit codes: 98% of 1-NN queries through the tables, no 100-NN
/// query), and with one state for all k an application asking both had every 1-NN success reset the
/// back-off, so every 100-NN query paid an abandoned attempt on top of its scan.</para>
/// </remarks>
internal struct NearestBackoff
{
    /// <summary>Classes of k: 1, 2–3, 4–7, ..., 64–127, and 128 and more.</summary>
    public const int Classes = 8;

    private const int MaxFailures = 7;

    /// <summary>Share of the running value carried over to the next attempt.</summary>
    private const double ValueCarried = 0.75;

    /// <summary>Successes in a row (counted as successes) after which the class is <see cref="Trusted"/>.</summary>
    public const int TrustAfter = 8;

    private int _failures;
    private int _skipsLeft;
    private int _streak;
    private double _value;

    /// <summary>Whether this query should try the tables (false: skip straight to the scan).</summary>
    public bool ShouldTry()
    {
        if (Volatile.Read(ref _skipsLeft) <= 0) return true;
        Interlocked.Decrement(ref _skipsLeft);
        return false;
    }

    /// <summary>Failures in a row recorded (0 after a success).</summary>
    public readonly int Failures => Volatile.Read(in _failures);

    /// <summary>
    /// The last <see cref="TrustAfter"/> attempts all succeeded (and paid): the door lets this class's
    /// searches probe their first rings unpriced (<see cref="SearchBudget.FreeUnits"/>). Where the tables
    /// answer nearly every query (clustered codes), pricing a search that succeeds anyway was its only
    /// cost: counting rings ahead of the probe, gathering rings before probing them, the plan.
    /// </summary>
    public readonly bool Trusted => Volatile.Read(in _streak) >= TrustAfter;

    /// <summary>The running value of attempting the tables, in scans (between -1 and 1).</summary>
    public readonly double Value => Volatile.Read(in _value);

    /// <summary>
    /// Records an attempt's outcome and what it spent, as a share of its budget: whether it counted as a
    /// failure (it failed, or it succeeded while attempting does not pay).
    /// </summary>
    public bool Record(bool succeeded, double spentShare)
    {
        // Written only when they change: the back-off shares a cache line with the searcher's fields
        // that every query reads, and a write per success passed that line between the cores of a
        // batch or of concurrent callers (a value at its bound stays there while successes save a
        // quarter of a scan or more).
        double value = Volatile.Read(ref _value);
        double next = Math.Clamp(ValueCarried * value + (succeeded ? 1 - spentShare : -spentShare), -1, 1);
        if (next != value) Volatile.Write(ref _value, next);
        if (succeeded && next >= 0)
        {
            if (Volatile.Read(ref _failures) != 0) Volatile.Write(ref _failures, 0);
            int streak = Volatile.Read(ref _streak);
            if (streak < TrustAfter) Volatile.Write(ref _streak, streak + 1);
            return false;
        }
        Set(Math.Min(MaxFailures, Volatile.Read(ref _failures) + 1));
        return true;
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
        Volatile.Write(ref _streak, 0);
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
/// A success resets only its own class, and a success that counts as a failure (<see cref="NearestBackoff"/>) passes up as one.
/// </summary>
[System.Runtime.CompilerServices.InlineArray(NearestBackoff.Classes)]
internal struct NearestBackoffs
{
    private NearestBackoff _first;

    /// <summary>Whether a <paramref name="k"/>-NN query should try the tables.</summary>
    public bool ShouldTry(int k) => this[NearestBackoff.ClassOf(k)].ShouldTry();

    /// <summary>Whether <paramref name="k"/>-NN searches may probe their first rings unpriced (<see cref="NearestBackoff.Trusted"/>).</summary>
    public readonly bool Trusted(int k) => this[NearestBackoff.ClassOf(k)].Trusted;

    /// <summary>Records a <paramref name="k"/>-NN attempt's outcome and the share of its budget it spent.</summary>
    public void Record(int k, bool succeeded, double spentShare)
    {
        int from = NearestBackoff.ClassOf(k);
        if (!this[from].Record(succeeded, spentShare)) return;
        int failures = this[from].Failures;
        for (int c = from + 1; c < NearestBackoff.Classes; c++) this[c].RaiseTo(failures);
    }
}
