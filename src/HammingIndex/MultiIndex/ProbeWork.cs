using System.Diagnostics;

namespace HammingIndex.MultiIndex;

/// <summary>
/// What one multi-index search did, in the cost model's units: buckets probed, candidates verified,
/// and their total estimated cost against a <see cref="SearchBudget"/> (a search stops and reports
/// false once over budget, so the front door can fall back to the scan having wasted little).
/// The clock is read every 16 probes and every 16 candidates.
/// </summary>
internal struct ProbeWork
{
    private readonly SearchBudget _budget;
    private readonly double _candidateCost;
    private long _deadline;

    /// <param name="budget">The limit.</param>
    /// <param name="candidateCost">What one candidate costs in these tables (see <see cref="SearchCostModel.CandidateCost(MultiIndexTables)"/>).</param>
    public ProbeWork(SearchBudget budget, double candidateCost)
    {
        _budget = budget;
        _candidateCost = candidateCost;
        Limit = budget.Units;
        _deadline = budget.DeadlineTicks;
    }

    /// <summary>Cost units this search may spend (infinity: no limit).</summary>
    public double Limit { get; private set; }

    /// <summary>Whether the budget was extended (see <see cref="SearchBudget.ExtendedUnits"/>).</summary>
    public bool Extended { get; private set; }

    public double Spent { get; private set; }

    public long Probes { get; private set; }

    public long Candidates { get; private set; }

    /// <summary>Counts one bucket probe; false once over budget.</summary>
    public bool Probe()
    {
        Probes++;
        Spent += SearchCostModel.ProbeCost;
        return Spent <= Limit && ((Probes & 15) != 0 || InTime());
    }

    /// <summary>Counts one verified candidate; false once over budget.</summary>
    public bool Candidate()
    {
        Candidates++;
        Spent += _candidateCost;
        return Spent <= Limit && ((Candidates & 15) != 0 || InTime());
    }

    /// <summary>Counts <paramref name="codes"/> codes scanned linearly (the delta); false once over budget.</summary>
    public bool Scanned(long codes, int wordsPerCode)
    {
        Candidates += codes;
        Spent += codes * SearchCostModel.ScanCostPerCode(wordsPerCode);
        return Spent <= Limit && InTime();
    }

    /// <summary>Whether <paramref name="more"/> units on top of what is spent fit the extended budget.</summary>
    public readonly bool FitsExtended(double more) => Spent + more <= _budget.ExtendedUnits;

    /// <summary>Switches to the extended budget (units and deadline).</summary>
    public void Extend()
    {
        Extended = true;
        Limit = Math.Max(Limit, _budget.ExtendedUnits);
        _deadline = Math.Max(_deadline, _budget.ExtendedDeadlineTicks);
    }

    /// <summary>Whether spending <paramref name="more"/> units would exceed the limit.</summary>
    public readonly bool WouldExceed(double more) => Spent + more > Limit;

    private readonly bool InTime() => _deadline == long.MaxValue || Stopwatch.GetTimestamp() <= _deadline;
}
