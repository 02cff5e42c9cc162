namespace HammingIndex.MultiIndex;

/// <summary>
/// What one multi-index search did, in the cost model's units: buckets probed, candidates verified,
/// and their total estimated cost against an optional limit (a search stops and reports false once
/// it would exceed the limit, so the front door can fall back to the scan having wasted little).
/// </summary>
internal struct ProbeWork
{
    public ProbeWork(double limit)
    {
        Limit = limit;
    }

    /// <summary>Cost units this search may spend (infinity: no limit).</summary>
    public double Limit { get; }

    public double Spent { get; private set; }

    public long Probes { get; private set; }

    public long Candidates { get; private set; }

    /// <summary>Counts one bucket probe; false once over the limit.</summary>
    public bool Probe()
    {
        Probes++;
        Spent += SearchCostModel.ProbeCost;
        return Spent <= Limit;
    }

    /// <summary>Counts one verified candidate; false once over the limit.</summary>
    public bool Candidate()
    {
        Candidates++;
        Spent += SearchCostModel.CandidateCost;
        return Spent <= Limit;
    }

    /// <summary>Counts <paramref name="codes"/> codes scanned linearly (the delta).</summary>
    public void Scanned(long codes, int wordsPerCode)
    {
        Candidates += codes;
        Spent += codes * SearchCostModel.ScanCostPerCode(wordsPerCode);
    }

    /// <summary>Whether spending <paramref name="more"/> units would exceed the limit.</summary>
    public readonly bool WouldExceed(double more) => Spent + more > Limit;
}
