using HammingIndex.Codes;
using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Tests.MultiIndex;

/// <summary>The k-NN distance model (independent substrings) and the front door's up-front plan built on it.</summary>
public class DistanceModelTests
{
    /// <summary>P(Binomial(n, 1/2) &lt;= r), summed exactly in doubles.</summary>
    private static double BinomialCdf(int n, int r)
    {
        double total = 0, c = 1;
        for (int i = 0; i <= Math.Min(r, n); i++)
        {
            total += c;
            c = c * (n - i) / (i + 1);
        }
        return total / Math.Pow(2, n);
    }

    private static double Choose(int n, int t)
    {
        double c = 1;
        for (int i = 0; i < t; i++) c = c * (n - i) / (i + 1);
        return c;
    }

    [Theory]
    [InlineData(new[] { 16, 16, 16, 16 }, 0)]
    [InlineData(new[] { 16, 16, 16, 16 }, 2)]
    [InlineData(new[] { 22, 21, 21 }, 4)]
    [InlineData(new[] { 20, 20, 19, 19, 19, 19, 19 }, 1)]
    [InlineData(new[] { 9, 8, 8 }, 9)] // every level counted
    public void UniformSharesConvolveToTheBinomialDistanceDistribution(int[] lengths, int levels)
    {
        const double codes = 1_000_000;
        int bits = lengths.Sum(), stride = lengths.Max() + 1;
        var shares = new double[lengths.Length * stride];
        for (int j = 0; j < lengths.Length; j++)
        {
            int s = lengths[j];
            // Counted levels hold what uniform codes hold in expectation; the model spreads the rest the same way.
            double[] entries = Enumerable.Range(0, Math.Min(levels, s + 1)).Select(t => codes * Choose(s, t) / Math.Pow(2, s)).ToArray();
            DistanceModel.Shares(s, entries, codes, shares.AsSpan(j * stride, s + 1));
            Assert.Equal(1, shares.AsSpan(j * stride, s + 1).ToArray().Sum(), 9);
        }
        var within = new double[bits + 1];
        DistanceModel.Within(shares, stride, lengths, codes, within, new double[bits + 1]);
        for (int r = 0; r <= bits; r++)
        {
            double expected = codes * BinomialCdf(bits, r);
            Assert.True(Math.Abs(within[r] - expected) <= 1e-9 * codes, $"r = {r}: {within[r]} against {expected}");
        }
    }

    [Fact]
    public void CountsAboveTheCodesAreScaledDownAndNothingIsLeftForLaterRings()
    {
        var shares = new double[5];
        DistanceModel.Shares(4, [30, 90], 100, shares); // sampled counts that overshoot the 100 codes
        Assert.Equal([0.25, 0.75, 0, 0, 0], shares);
    }

    [Fact]
    public void ThePlanCommitsWhenTheRingsToTheEstimatedKthDistanceFitAndNotOtherwise()
    {
        using CodeStore store = UniformStore();
        var index = new MultiIndexHash(store);
        MultiIndexTables tables = index.Tables;
        ulong[] query = TestCodes.Uniform(new Random(6), store.Layout, 1);
        ulong[] substrings = Substrings(tables, query);
        var scratch = new MultiIndexScratch();
        double scan = SearchCostModel.ScanTopKCost(store.Count, 1, 10);

        NearestPlan Plan(double units)
        {
            NearestProbe.RingPricing pricing = Uncounted(tables, substrings);
            return NearestPlan.Make(ref pricing, scratch, store.Count, 10, units, searched: units);
        }

        // Without a limit every ring fits: commit. At 1% of a scan (uniform codes: the 10th neighbour lies
        // far out, its rings cost about a scan) the model's k-th distance is out of reach.
        NearestPlan unlimited = Plan(1e18);
        Assert.True(unlimited.Commit);
        Assert.False(unlimited.BeyondBudget);
        NearestPlan starved = Plan(0.01 * scan);
        Assert.False(starved.Commit);
        Assert.True(starved.BeyondBudget);

        // Whatever the plan, the door's answers are the scan's.
        var door = new MultiIndexSearcher(index);
        Neighbor[] expected = door.Scan.TopK(query, 10);
        foreach (double scale in new[] { 0.01, 0.3, 1, 3, 100 })
        {
            door.ScanCostScale = scale;
            door.ResetBackoff();
            Assert.Equal(expected, door.TopK(query, 10).Neighbors);
        }
    }

    /// <summary>
    /// The plan commits to the distance where the model expects k codes and a margin (the k-th distance of
    /// most queries lies within it), not merely k: committing where k codes are only expected sent a third
    /// of 1-NN queries past the budget.
    /// </summary>
    [Fact]
    public void ThePlanCommitsToTheDistanceWhereKCodesAndAMarginAreExpected()
    {
        using CodeStore store = UniformStore();
        MultiIndexTables tables = new MultiIndexHash(store).Tables;
        ulong[] substrings = Substrings(tables, TestCodes.Uniform(new Random(6), store.Layout, 1));
        var scratch = new MultiIndexScratch();
        int differing = 0;
        for (int k = 1; k <= 64; k++)
        {
            Assert.True(NearestPlan.CommitCount(k) >= k + Math.Sqrt(k));
            NearestProbe.RingPricing pricing = Uncounted(tables, substrings);
            NearestPlan plan = NearestPlan.Make(ref pricing, scratch, store.Count, k, 1e18, searched: 1e18);
            Assert.True(plan.Commit);
            int FirstWith(double codes, ref NearestProbe.RingPricing p)
            {
                for (int d = 0; d <= 64; d++) if (plan.ExpectedWithin(ref p, d) >= codes) return d;
                return -1;
            }
            int margin = FirstWith(NearestPlan.CommitCount(k), ref pricing), bare = FirstWith(k, ref pricing);
            Assert.Equal(margin, plan.CommittedDistance);
            if (margin > bare) differing++;
        }
        Assert.True(differing > 0, "for some k the margin must move the committed distance");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(500.0)]
    [InlineData(20_000.0)]
    [InlineData(200_000.0)]
    [InlineData(1e9)]
    public void ThePlansCountingSpendsAtMostItsShareOfTheSearchSoFar(double searched)
    {
        var layout = new CodeLayout(64);
        using CodeStore store = TestCodes.InMemoryStore(64, TestCodes.Uniform(new Random(7), layout, 50_000));
        var index = new MultiIndexHash(store);
        MultiIndexTables tables = index.Tables;
        int m = tables.Split.Count;
        var substrings = new ulong[m];
        tables.Split.ExtractAll(TestCodes.Uniform(new Random(8), layout, 1), substrings);
        NearestProbe.RingPricing pricing = Uncounted(tables, substrings);
        double units = 1e12; // the budget's share never binds here
        NearestPlan.Make(ref pricing, new MultiIndexScratch(), store.Count, 10, units, searched);

        // Whole levels are counted, the first always, then each while the offsets read so far stay within the share.
        double Reads(int t) => Enumerable.Range(0, m).Sum(j => RingCount.Lookups(tables.Tables[j], t)) * SearchCostModel.ProbeCost;
        int levels = 0;
        while (levels <= tables.Split.MaxLength && pricing.IsCounted(levels, 0)) levels++;
        for (int t = 0; t <= tables.Split.MaxLength; t++)
            for (int j = 0; j < m; j++)
                if (t < tables.Split.Lengths[j] + 1) Assert.Equal(t < levels, pricing.IsCounted(t, j));
        Assert.True(levels >= 1);
        double read = Enumerable.Range(1, levels - 1).Sum(Reads);
        Assert.True(read <= NearestPlan.CountingShare * searched, $"levels 1..{levels - 1} read {read} units against a share of {NearestPlan.CountingShare * searched}");
        if (levels <= tables.Split.MaxLength)
            Assert.True(read + Reads(levels) > NearestPlan.CountingShare * searched, $"level {levels} would have fit");
    }

    /// <summary>A query's ring pricing with no ring counted yet (every ring's cost unknown).</summary>
    /// <summary>200,000 uniform 64-bit codes (the plan tests' store).</summary>
    private static CodeStore UniformStore() => TestCodes.InMemoryStore(64, TestCodes.Uniform(new Random(5), new CodeLayout(64), 200_000));

    private static ulong[] Substrings(MultiIndexTables tables, ulong[] query)
    {
        var substrings = new ulong[tables.Split.Count];
        tables.Split.ExtractAll(query, substrings);
        return substrings;
    }

    private static NearestProbe.RingPricing Uncounted(MultiIndexTables tables, ulong[] substrings)
    {
        int rings = (tables.Split.MaxLength + 1) * tables.Split.Count;
        var costs = new double[rings];
        Array.Fill(costs, double.NaN);
        return new NearestProbe.RingPricing(tables, substrings, costs, new double[rings], SearchCostModel.CandidateCost(tables));
    }
}
