using System.Runtime.CompilerServices;

namespace HammingIndex.MultiIndex;

/// <summary>
/// What one multi-index search did, in the cost model's units: keys probed, candidates verified,
/// and their total cost against the current limit, a hard cap that stops a search whose counted
/// estimate was too low (sampled rings) before it costs more than the scan it was chosen over.
/// </summary>
internal struct ProbeWork
{
    private readonly double _candidateCost;

    /// <param name="budget">The limit, and the store's price (<see cref="SearchBudget.StorePrice"/>).</param>
    /// <param name="tables">The tables searched: what one candidate costs in them at that price (<see cref="SearchCostModel.CandidateCost(MultiIndexTables, double)"/>).</param>
    public ProbeWork(SearchBudget budget, MultiIndexTables tables)
    {
        Budget = budget;
        _candidateCost = SearchCostModel.CandidateCost(tables, budget.StorePrice);
        Limit = budget.Units;
    }

    public SearchBudget Budget { get; }

    /// <summary>Cost units this search may spend (infinity: no limit).</summary>
    public double Limit { get; set; }

    public readonly bool IsLimited => !double.IsPositiveInfinity(Limit) || !Budget.IsUnlimited;

    public double Spent { get; private set; }

    public long Probes { get; private set; }

    public long Candidates { get; private set; }

    /// <summary>What one candidate costs.</summary>
    public readonly double CandidateCost => _candidateCost;

    /// <summary>Counts one bucket probe; false once over the limit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Probe()
    {
        Probes++;
        Spent += SearchCostModel.ProbeCost;
        return Spent <= Limit;
    }

    /// <summary>Counts one verified candidate; false once over the limit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Candidate()
    {
        Candidates++;
        Spent += _candidateCost;
        return Spent <= Limit;
    }

    /// <summary>Counts <paramref name="codes"/> codes scanned linearly (the delta), at the store's price; false once over the limit.</summary>
    public bool Scanned(long codes, int wordsPerCode)
    {
        Candidates += codes;
        Spent += ScanCost(codes, wordsPerCode);
        return Spent <= Limit;
    }

    /// <summary>What a linear scan of <paramref name="codes"/> codes costs, at the store's price (<see cref="SearchBudget.StorePrice"/>).</summary>
    public readonly double ScanCost(long codes, int wordsPerCode) => Budget.StorePrice * SearchCostModel.ScanCost(codes, wordsPerCode);

    /// <summary>Whether spending <paramref name="more"/> units would exceed <paramref name="limit"/>.</summary>
    public readonly bool WouldExceed(double more, double limit) => Spent + more > limit;
}
