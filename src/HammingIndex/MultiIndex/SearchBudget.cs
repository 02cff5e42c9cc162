namespace HammingIndex.MultiIndex;

/// <summary>
/// How much a multi-index search may spend, in the cost model's units (<see cref="SearchCostModel"/>),
/// checked against work counted before it is done (<see cref="RingCount"/>), never against a clock:
/// a radius search starts only if all its rings fit <see cref="Units"/>; a k-NN search may spend
/// <see cref="UnfilledUnits"/> while it holds fewer than k codes, and then goes on only if the rings
/// left until its bound fit <see cref="Units"/>.
/// </summary>
internal readonly record struct SearchBudget(double Units, double UnfilledUnits)
{
    /// <summary>No limit.</summary>
    public static SearchBudget Unlimited => new(double.PositiveInfinity, double.PositiveInfinity);

    /// <summary>A budget of <paramref name="units"/> for the whole search, whether or not it holds k codes.</summary>
    public SearchBudget(double units) : this(units, units)
    {
    }

    /// <summary>
    /// Work a k-NN search may do before it prices anything (0: it prices from its first ring): the door
    /// grants it to a class of queries the tables keep answering (<see cref="NearestBackoff.Trusted"/>),
    /// whose searches then probe their first rings as raw MIH does, streamed, none counted ahead. The
    /// hard cap (<see cref="Units"/>) still stops them.
    /// </summary>
    public double FreeUnits { get; init; }

    /// <summary>
    /// The price of reading the store, as a multiple of the model's (1 unless set): the door sets it to
    /// the scan's learnt price (<see cref="ScanCalibration.Scale"/>), and the work that reads the store
    /// is priced with it: the linear scan of codes appended since the tables were built, and each
    /// candidate of tables of positions only while the store fits the cache (its code is a read of the
    /// store; see <see cref="SearchCostModel.CandidateCost(bool, int, long, double)"/>). Probes and the
    /// entries of tables with codes read the tables, whose price the model fixes.
    /// </summary>
    public double StorePrice
    {
        get => _storePrice > 0 ? _storePrice : 1;
        init => _storePrice = value;
    }

    private readonly double _storePrice;

    public bool IsUnlimited => double.IsPositiveInfinity(Units) && double.IsPositiveInfinity(UnfilledUnits);

    /// <summary><paramref name="spent"/> as a share of <see cref="Units"/> (the scan the budget stands for); 0 when unlimited.</summary>
    public double ShareOf(double spent) => double.IsPositiveInfinity(Units) || Units <= 0 ? 0 : spent / Units;
}
