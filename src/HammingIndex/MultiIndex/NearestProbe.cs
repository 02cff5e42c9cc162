using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Exact k-NN over a multi-index by Norouzi et al.'s incremental search: for t = 0, 1, ... and each
/// table j, probe table j for the keys at distance exactly t. After table j at radius t, a code not
/// yet seen differs by at least t + 1 on substrings 0..j and at least t on the others, so its
/// distance exceeds t*m + j: stop once k verified codes lie within that bound. Once a table has been
/// probed at its full substring length every code has been seen (that covers k &gt; n).
/// </summary>
internal static class NearestProbe
{
    /// <summary>
    /// Writes the k nearest (or all, if fewer) in (distance, id) order into <paramref name="results"/>
    /// and returns how many; -1 if the work limit would be exceeded.
    /// </summary>
    public static int Run(MultiIndexTables tables, StoreMemory memory, long count, ReadOnlySpan<ulong> query, int k,
        MultiIndexScratch scratch, ref ProbeWork work, Span<Neighbor> results)
    {
        SubstringSplit split = tables.Split;
        int m = split.Count;
        int capacity = (int)Math.Min(k, count);
        scratch.BeginQuery(tables);
        TopKCollector collector = scratch.Scan.Collectors(1, Math.Max(capacity, 1), split.Bits)[0];
        if (count > tables.IndexedCount)
        {
            if (!work.Scanned(count - tables.IndexedCount, split.Layout.WordsPerCode)) return -1;
            PositionRangeScan.TopK(memory, tables.IndexedCount, count, query, collector, scratch.Scan);
        }
        Span<ulong> substrings = scratch.QuerySubstrings.AsSpan(0, m);
        split.ExtractAll(query, substrings);
        var verifier = CandidateVerifier.ForTopK(memory, query, count, scratch, split, collector, work);
        bool done = capacity == 0, limited = work.IsLimited, certain = false;
        int pricedBound = int.MaxValue;
        double free = work.Budget.FreeUnits;
        // Ring (t, j) is the (t*m + j)-th of the probe order; each is counted at most once per query.
        int rings = (split.MaxLength + 1) * m;
        Span<double> ringCosts = !limited ? default : rings <= 512 ? stackalloc double[rings] : new double[rings];
        Span<double> ringEntries = !limited ? default : rings <= 512 ? stackalloc double[rings] : new double[rings];
        ringCosts.Fill(double.NaN);
        var pricing = new RingPricing(tables, substrings, ringCosts, ringEntries, work.CandidateCost, scratch);
        var plan = default(NearestPlan); // made when first needed (Affordable)
        for (int t = 0; !done; t++)
        {
            for (int j = 0; j < m && !done; j++)
            {
                MultiIndexHashTable table = tables.Tables[j];
                // A trusted class's search prices nothing within its free share (SearchBudget.FreeUnits),
                // but a ring whose keys alone would take it past that share is priced before it is read.
                if (limited && !WithinFreeShare(verifier.Work.Spent, free, table, t) && !Affordable(ref pricing, ref plan, scratch, count, t, j, collector, capacity, ref certain, ref pricedBound, ref verifier.Work))
                {
                    work = verifier.Work;
                    return -1;
                }
                verifier.BeginNearestRing(t, j);
                // A ring the door counted just now is visited from the ranges the count looked up.
                int gathered = pricing.Gathered(t, j);
                bool complete = gathered >= 0
                    ? BucketGather.Visit(tables, scratch, 0, gathered, gathered, ref verifier)
                    : TableProbe.Rings(table, substrings[j], t, t, ref verifier);
                if (!complete)
                {
                    work = verifier.Work;
                    return -1;
                }
                if (t >= table.SubstringBits) done = true; // every key of table j probed: all codes seen
                else if (collector.IsFull && collector.Bound <= t * m + j) done = true;
            }
        }
        work = verifier.Work;
        return capacity == 0 ? 0 : collector.Drain(results);
    }

    /// <summary>
    /// Whether a search that has spent <paramref name="spent"/> may probe ring t of <paramref name="table"/>
    /// unpriced: its free share (<see cref="SearchBudget.FreeUnits"/>) covers the work so far and the ring's
    /// probes, whose number is known without reading anything.
    /// </summary>
    private static bool WithinFreeShare(double spent, double free, MultiIndexHashTable table, int t) =>
        spent + BitCombinations.Count(table.SubstringBits, t) * SearchCostModel.ProbeCost < free;

    /// <summary>
    /// Whether ring (t, j) may be probed. Each ring is counted and taken while the search stays within
    /// the budget's unfilled share and the codes held are not yet evidence (fewer than k, or before level
    /// <see cref="NearestPlan.EvidenceLevels"/>). Past that, once k codes are held, the rings left until
    /// the bound passes the k-th distance are counted: if they fit the budget, the search is certain to
    /// finish within it (the bound only shrinks, so that work only shrinks) and goes on to the end. Only
    /// then is the k-th distance estimated (<see cref="NearestPlan"/>, made here the first time): when
    /// the rings to it fit, the search commits; otherwise the codes held are weighed against it.
    /// </summary>
    private static bool Affordable(ref RingPricing pricing, ref NearestPlan plan, MultiIndexScratch scratch, long count, int t, int j,
        TopKCollector collector, int k, ref bool certain, ref int pricedBound, ref ProbeWork work)
    {
        if (certain) return WithinCap(ref pricing, t, j, collector, ref work);
        double ring = pricing.CostToProbe(t, j);
        bool unfilled = !work.WouldExceed(ring, work.Budget.UnfilledUnits);
        bool due = collector.IsFull && t >= NearestPlan.EvidenceLevels && collector.Bound < plan.EstimatedBound;
        double evidence = SearchCostModel.EvidenceFraction * work.Budget.Units;
        if (plan.OutOfReach && !due && work.WouldExceed(ring, evidence)) return false;
        // Within the unfilled share the search goes on whatever the rings ahead cost, so they are not
        // counted yet, nor is the plan made: counting the rings to a still loose bound read the offsets
        // of rings a fast search never probes (clustered 64-bit 1-NN: a third of the door's time), and
        // the plan (counting the first levels of every table, then the distance model) was a fifth of it
        // on searches that end in the first two levels (bench/README.md). The decisions are the same,
        // later, with the bound as tight as it has come by then (the rings left only shrink). The codes
        // held may be evidence (due) and still nothing needs deciding while the search stays within the
        // evidence share: every outcome below goes on there (certain, committed, out of reach within the
        // share, or unfilled). Deciding at once counted the rings to a loose bound and made the plan on
        // searches that ended long before the share (10M clustered 64-bit 1-NN, perf: about a twentieth of the door's time).
        bool withinEvidence = !work.WouldExceed(ring, evidence);
        if (unfilled && (!due || withinEvidence)) return true;
        // The rings left are priced again only when the bound has tightened since they last did not fit.
        if (collector.IsFull && collector.Bound < pricedBound)
        {
            pricedBound = collector.Bound;
            double cap = work.Budget.Units - work.Spent - ring;
            if (cap >= 0 && pricing.Remaining(t, j, collector.Bound, cap) <= cap)
            {
                certain = true;
                return true;
            }
        }
        if (!plan.IsMade)
        {
            plan = NearestPlan.Make(ref pricing, scratch, count, k, work.Budget.Units, work.Spent + ring);
            if (plan.Commit)
            {
                certain = true;
                return true;
            }
        }
        // The rings to the bound do not fit, and the distance model put the k-th distance past what the
        // budget reaches. Once the first levels are read, estimate the k-th distance from both: the codes
        // held that the model cannot explain (near neighbours of clustered codes) count as found, and the
        // model supplies the rest. If the rings to that distance do not fit either, the bound will not
        // come down in time (uniform codes; or a cluster smaller than k), but a query whose cluster lies a
        // level further out looks the same until that level is read: the search goes on while it stays
        // within the evidence share, then stops rather than spend the unfilled share. Estimated again
        // only when the bound has tightened.
        if (due && plan.BeyondBudget)
        {
            plan.EstimatedBound = collector.Bound;
            double cap = work.Budget.Units - work.Spent - ring;
            int estimate = plan.EstimateKth(ref pricing, collector, k);
            plan.OutOfReach = estimate >= collector.Bound || pricing.Remaining(t, j, estimate, cap) > cap;
            if (plan.OutOfReach) return withinEvidence;
        }
        return unfilled;
    }

    /// <summary>
    /// Whether a search certain to finish (<see cref="Affordable"/>) may probe ring (t, j) under the work's
    /// hard cap, which stops a search whose counted work came out too low (sampled rings, or a plan's
    /// modelled ones) before it costs much more than the scan it was chosen over. Past half the cap the
    /// ring about to be probed is priced; when it would cross the cap, what is already spent is gone
    /// whichever path answers, so the choice is between the rings left to the bound and a whole scan: the
    /// search goes on when they cost at most <see cref="SearchCostModel.OverrunFraction"/> of a scan,
    /// under a cap raised to twice their cost (never past twice the budget in all). Without this, a
    /// query whose counted rings fit the budget by a hair and then cost a little more was abandoned at
    /// the cap, a scan's worth of work spent, and scanned (10M uniform 64-bit codes, positions only, 1-NN: 1 query in 16 paid
    /// two scans where finishing cost a fraction of one; bench/README.md).
    /// </summary>
    private static bool WithinCap(ref RingPricing pricing, int t, int j, TopKCollector collector, ref ProbeWork work)
    {
        if (work.Spent <= 0.5 * work.Limit) return true;
        double ring = pricing.CostToProbe(t, j);
        if (!work.WouldExceed(ring, work.Limit)) return true;
        double units = work.Budget.Units;
        double left = ring + pricing.Remaining(t, j, collector.Bound, units);
        if (left > SearchCostModel.OverrunFraction * units || work.WouldExceed(left, 2 * units)) return false;
        work.Limit = Math.Min(work.Spent + 2 * left, 2 * units);
        return true;
    }

    /// <summary>The counted cost and entries of each ring of one query, counted the first time either is asked for.</summary>
    internal ref struct RingPricing(MultiIndexTables tables, ReadOnlySpan<ulong> substrings, Span<double> costs, Span<double> entries, double candidateCost,
        MultiIndexScratch? scratch = null)
    {
        private readonly MultiIndexScratch? _scratch = scratch;
        private int _gatheredRing = -1; // the ring whose ranges the scratch holds (CostToProbe)
        private int _gathered;
        private readonly MultiIndexTables _tables = tables;
        private readonly ReadOnlySpan<ulong> _substrings = substrings;
        private readonly Span<double> _costs = costs;
        private readonly Span<double> _entries = entries;

        public readonly MultiIndexTables Tables => _tables;

        public readonly double CandidateCost => candidateCost;

        /// <summary>Whether ring (t, j) has been counted.</summary>
        public readonly bool IsCounted(int t, int j) => !double.IsNaN(_costs[t * _tables.Split.Count + j]);

        /// <summary>The cost of ring (t, j): its keys and the bucket entries they hold.</summary>
        public readonly double Cost(int t, int j)
        {
            int ring = t * _tables.Split.Count + j;
            ref double cost = ref _costs[ring];
            if (double.IsNaN(cost))
            {
                RingCount.Estimate estimate = RingCount.Count(_tables.Tables[j], _substrings[j], t, t);
                _entries[ring] = estimate.Entries;
                cost = SearchCostModel.Ring(estimate, candidateCost);
            }
            return cost;
        }

        /// <summary>
        /// The cost of ring (t, j), about to be probed. A ring not counted yet, small enough to be counted
        /// exactly, is counted by looking its keys up into the scratch (<see cref="BucketGather"/>), and the
        /// probe then visits those ranges (<see cref="Gathered"/>): counted and probed in one pass, where
        /// a count ahead of the probe read every offset twice.
        /// </summary>
        public double CostToProbe(int t, int j)
        {
            int ring = t * _tables.Split.Count + j;
            MultiIndexHashTable table = _tables.Tables[j];
            double keys = BitCombinations.Count(table.SubstringBits, t);
            if (_scratch is null || !double.IsNaN(_costs[ring]) || keys > RingCount.ExactKeys || keys > table.SlotCount) return Cost(t, j);
            _scratch.EnsureRings((int)keys);
            int gathered = BucketGather.Keys(_scratch, 0, j, table.SubstringBits, _substrings[j], t, t);
            long entries = BucketGather.Lookup(_tables, _scratch, 0, gathered);
            _entries[ring] = entries;
            _costs[ring] = SearchCostModel.Ring(new RingCount.Estimate(keys, entries, false, true), candidateCost);
            (_gatheredRing, _gathered) = (ring, gathered);
            return _costs[ring];
        }

        /// <summary>How many ranges of ring (t, j) the scratch holds (<see cref="CostToProbe"/>), or -1 when it holds none.</summary>
        public readonly int Gathered(int t, int j) => _gatheredRing == t * _tables.Split.Count + j ? _gathered : -1;

        /// <summary>
        /// Counts every ring of level <paramref name="t"/> not counted yet, the offsets of all their keys
        /// prefetched first (small rings: <see cref="RingCount.Prefetch"/>), so their misses overlap
        /// across the tables rather than one ring after another.
        /// </summary>
        public readonly void CountLevel(int t)
        {
            int m = _tables.Split.Count;
            for (int j = 0; j < m; j++)
                if (!IsCounted(t, j)) RingCount.Prefetch(_tables.Tables[j], _substrings[j], t);
            for (int j = 0; j < m; j++) Cost(t, j);
        }

        /// <summary>The bucket entries of ring (t, j) (counted now if not yet).</summary>
        public readonly double Entries(int t, int j)
        {
            Cost(t, j);
            return _entries[t * _tables.Split.Count + j];
        }

        /// <summary>
        /// The cost of the rings after (t, j) until the bound t*m + j reaches <paramref name="bound"/>;
        /// stops once past <paramref name="cap"/> (the answer is then only known to exceed it).
        /// </summary>
        public readonly double Remaining(int t, int j, int bound, double cap)
        {
            int m = _tables.Split.Count;
            double total = 0;
            for (int tt = t, jj = j; ; )
            {
                if (tt * m + jj >= bound || tt >= _tables.Tables[jj].SubstringBits) return total;
                if (++jj == m) { jj = 0; tt++; }
                total += Cost(tt, jj);
                if (total > cap) return total;
            }
        }
    }
}
