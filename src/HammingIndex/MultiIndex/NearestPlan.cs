using HammingIndex.Search;

namespace HammingIndex.MultiIndex;

/// <summary>
/// The front door's estimate of a k-NN query's k-th distance, made once, when the probe first needs it
/// (its unfilled share would be exceeded, or the codes held could be evidence, and the rings to its bound
/// do not fit): the first rings of every table are counted where the probe has not counted them yet (at
/// most <see cref="CountingFraction"/> of the budget and <see cref="CountingShare"/> of the search so far in offset loads, prefetched a level at a time), the <see cref="DistanceModel"/> built from them gives the expected number
/// of codes within each distance, and the rings up to the first distance holding k codes are priced
/// (counted ones as counted, the others from the model's shares). When they fit the budget the search
/// commits to the tables from there on (<see cref="Commit"/>): on uniform codes the bound of the
/// codes found stays loose until most of the work is done, so without the estimate such a search was
/// abandoned at the unfilled share although it would have won. Otherwise (<see cref="BeyondBudget"/>)
/// the probe, once it holds k codes whose bound does not fit, estimates the k-th distance again from
/// the codes held (<see cref="EstimateKth"/>) and, unless the rings to it fit, stops once it has spent
/// <see cref="SearchCostModel.EvidenceFraction"/> of a scan (<see cref="OutOfReach"/>). Either way only the path
/// changes, never the answer.
/// </summary>
internal struct NearestPlan
{
    /// <summary>Share of the budget the up-front counting may spend (each offset read priced as a probe).</summary>
    public const double CountingFraction = 0.03;

    /// <summary>
    /// Share of the work the search has done when the plan is made that the up-front counting may spend
    /// besides: its offset reads are charged to no search, and on a large store a share of the scan is
    /// many levels of sampled rings, each a cache miss (10M clustered 64-bit codes, 100-NN: levels 0–6
    /// counted, 1,500 random offset reads, a fifth of the door's time where raw MIH took 520 µs; with this
    /// cap the door took 1.10 of raw MIH, against 1.33). The first level is always counted.
    /// </summary>
    public const double CountingShare = 0.1;

    /// <summary>
    /// Levels (ring t of every table) read before the codes held count as evidence: a clustered query's
    /// neighbours lie in them with high probability (64-bit codes, 16-bit substrings, bits flipped with
    /// p = 0.1: each neighbour in 57% of cases, and a cluster has many), while ring (0, 0) alone often
    /// holds none (measured: deciding after the first ring sent 66% of clustered 1-NN queries to the scan).
    /// </summary>
    public const int EvidenceLevels = 2;

    /// <summary>
    /// The codes the model must expect within a distance before the search commits to reaching it: k plus a
    /// margin, so that the k-th distance lies within it for about nine queries in ten. The model gives the
    /// expected count within each distance, and the count of a query is spread about it (Poisson-like, so
    /// by about its square root); committing where k codes are only expected left the k-th distance beyond
    /// for about a third of the 1-NN queries, each then running a ring or two past the budget to its bound
    /// (10M uniform 128-bit codes, codes in tables, 1-NN: the committed half of the queries counted 21–26
    /// million units of work against a budget of 17 and took 1.2 times the scan; bench/README.md, fourteenth session).
    /// </summary>
    internal static double CommitCount(int k) => k + 1.28 * Math.Sqrt(k) + 1;

    private double[] _buffer;
    private int _stride;
    private int _computed; // distances 0.._computed - 1 of the "within" row are current
    private double _codes;
    private int _within; // where the "within" row starts in the buffer (after the share rows)

    /// <summary>The rings up to the modelled k-th distance fit the budget: probe to the end.</summary>
    public readonly bool Commit => IsMade && CommittedDistance >= 0;

    /// <summary>The distance the search committed to reach (where the model expects <see cref="CommitCount"/> codes), or -1 when none lies within the budget's reach (meaningful once <see cref="IsMade"/>).</summary>
    public int CommittedDistance { get; private set; }

    /// <summary>The model puts the k-th distance past what the budget reaches.</summary>
    public readonly bool BeyondBudget => IsMade && CommittedDistance < 0;

    /// <summary>
    /// The last estimate from the codes held (<see cref="EstimateKth"/>) put the k-th distance out of
    /// reach: the search goes on only while it stays within the evidence share
    /// (<see cref="SearchCostModel.EvidenceFraction"/>), unless the bound tightens and a new estimate says otherwise.
    /// </summary>
    public bool OutOfReach { get; set; }

    /// <summary>Whether the plan has been made (a default plan is not: the probe makes it when first needed).</summary>
    public bool IsMade { get; private set; }

    private int _estimatedBound;

    /// <summary>The collector's bound when the k-th distance was last estimated from the codes held (<see cref="EstimateKth"/>); int.MaxValue before.</summary>
    public int EstimatedBound
    {
        readonly get => IsMade ? _estimatedBound : int.MaxValue;
        set => _estimatedBound = value;
    }

    /// <summary>Counts the first rings, models the distances and decides whether to commit.</summary>
    /// <param name="pricing">The query's ring counts (the plan counts more of them).</param>
    /// <param name="scratch">The query's scratch (the model's buffer).</param>
    /// <param name="count">The codes searched.</param>
    /// <param name="k">The neighbours wanted.</param>
    /// <param name="units">The search's budget.</param>
    /// <param name="searched">What the search has spent so far, the ring about to be probed included: the counting may spend <see cref="CountingShare"/> of it.</param>
    public static NearestPlan Make(ref NearestProbe.RingPricing pricing, MultiIndexScratch scratch, long count, int k, double units, double searched)
    {
        MultiIndexTables tables = pricing.Tables;
        SubstringSplit split = tables.Split;
        int m = split.Count, maxLength = split.MaxLength, bits = split.Bits;
        int stride = maxLength + 1;
        var plan = new NearestPlan
        {
            _buffer = scratch.ModelBuffer(m * stride + 2 * (bits + 1)),
            _stride = stride,
            _codes = count,
            _within = m * stride,
            IsMade = true,
            EstimatedBound = int.MaxValue,
        };

        // Count whole levels t (ring t of every table) while the offsets read stay within the share.
        double cap = Math.Min(CountingFraction * units, CountingShare * searched), spent = 0;
        int levels = 0;
        while (levels <= maxLength)
        {
            double lookups = 0;
            for (int j = 0; j < m; j++)
                if (!pricing.IsCounted(levels, j)) lookups += RingCount.Lookups(tables.Tables[j], levels);
            if (levels > 0 && spent + lookups * SearchCostModel.ProbeCost > cap) break;
            spent += lookups * SearchCostModel.ProbeCost;
            pricing.CountLevel(levels);
            levels++;
        }

        Span<double> entries = stackalloc double[stride];
        ReadOnlySpan<int> lengths = split.Lengths;
        double indexed = tables.IndexedCount;
        for (int j = 0; j < m; j++)
        {
            int counted = Math.Min(levels, lengths[j] + 1);
            for (int t = 0; t < counted; t++) entries[t] = pricing.Entries(t, j);
            DistanceModel.Shares(lengths[j], entries[..counted], indexed, plan._buffer.AsSpan(j * stride, lengths[j] + 1));
        }

        // The last ring of the probe order that the budget reaches (rings after a table's full length are empty).
        int reach = -1;
        double total = 0;
        for (int ring = 0; ring < stride * m; ring++)
        {
            int t = ring / m, j = ring % m;
            if (t <= lengths[j]) total += pricing.IsCounted(t, j) ? pricing.Cost(t, j) : plan.ModelledCost(tables, t, j, indexed, pricing.CandidateCost);
            if (total > units) break;
            reach = ring;
        }
        plan.CommittedDistance = plan.Distance(ref pricing, CommitCount(k), Math.Min(reach, bits));
        return plan;
    }

    /// <summary>The expected number of codes within <paramref name="distance"/> of the query under the model.</summary>
    public double ExpectedWithin(ref NearestProbe.RingPricing pricing, int distance)
    {
        int bits = pricing.Tables.Split.Bits;
        distance = Math.Clamp(distance, 0, bits);
        Ensure(ref pricing, distance + 1);
        return _buffer[_within + distance];
    }

    /// <summary>
    /// The k-th distance estimated from the codes <paramref name="collector"/> holds and the model: the
    /// held codes in excess of what the model expects within some distance (near neighbours it cannot
    /// see) count as found, and the model supplies the others; never more than the collector's bound.
    /// </summary>
    public int EstimateKth(ref NearestProbe.RingPricing pricing, TopKCollector collector, int k)
    {
        int bound = Math.Min(collector.Bound, pricing.Tables.Split.Bits);
        Span<int> held = bound < 1024 ? stackalloc int[bound + 1] : new int[bound + 1];
        held.Clear();
        collector.CountByDistance(held);
        Ensure(ref pricing, bound + 1);
        ReadOnlySpan<double> within = _buffer.AsSpan(_within, bound + 1);
        double excess = 0;
        int cumulative = 0;
        for (int r = 0; r <= bound; r++)
        {
            cumulative += held[r];
            excess = Math.Max(excess, cumulative - within[r]);
        }
        for (int r = 0; r < bound; r++)
            if (excess + within[r] >= k) return r;
        return bound;
    }

    /// <summary>The smallest distance up to <paramref name="maxDistance"/> with <paramref name="codes"/> codes expected within it; -1 if none.</summary>
    private int Distance(ref NearestProbe.RingPricing pricing, double codes, int maxDistance)
    {
        if (maxDistance < 0) return -1;
        Ensure(ref pricing, maxDistance + 1);
        for (int r = 0; r <= maxDistance; r++)
            if (_buffer[_within + r] >= codes) return r;
        return -1;
    }

    private void Ensure(ref NearestProbe.RingPricing pricing, int size)
    {
        if (size <= _computed) return;
        SubstringSplit split = pricing.Tables.Split;
        Span<double> within = _buffer.AsSpan(_within, size), work = _buffer.AsSpan(_within + split.Bits + 1, size);
        DistanceModel.Within(_buffer.AsSpan(0, _within), _stride, split.Lengths, _codes, within, work);
        _computed = size;
    }

    /// <summary>A ring not counted, priced from the model: all its keys, and its share of the codes as entries.</summary>
    private readonly double ModelledCost(MultiIndexTables tables, int t, int j, double indexed, double candidateCost)
    {
        MultiIndexHashTable table = tables.Tables[j];
        double keys = BitCombinations.Count(table.SubstringBits, t);
        bool walks = keys > table.SlotCount;
        double entries = indexed * _buffer[j * _stride + t];
        return SearchCostModel.Ring(new RingCount.Estimate(walks ? table.SlotCount : keys, entries, walks, false), candidateCost);
    }
}
