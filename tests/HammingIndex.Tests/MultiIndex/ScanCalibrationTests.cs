using System.Diagnostics;
using HammingIndex.Codes;
using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Tests.MultiIndex;

public class ScanCalibrationTests
{
    private const double Units = 100_000; // a scan long enough to be timed

    /// <summary>Stopwatch ticks for a scan that took <paramref name="ratio"/> times its modelled cost.</summary>
    private static long Ticks(double ratio, double units = Units) => (long)Math.Round(ratio * units * Stopwatch.Frequency / 1e9);

    private static void Feed(ref ScanCalibration calibration, params double[] ratios)
    {
        foreach (double ratio in ratios) calibration.Record(Units, Ticks(ratio));
    }

    [Fact]
    public void TheScaleIsOneUntilWarmThenTheGeometricMeanOfTheWarmSamples()
    {
        var calibration = new ScanCalibration();
        Feed(ref calibration, 50, 0.01); // skipped: tiered JIT
        Feed(ref calibration, 1.5, 3, 1.5);
        Assert.Equal(1, calibration.Scale);
        Feed(ref calibration, 3);
        Assert.Equal(Math.Sqrt(1.5 * 3), calibration.Scale, 3);
    }

    [Fact]
    public void ShortScansAndADisabledCalibrationRecordNothing()
    {
        var calibration = new ScanCalibration();
        for (int i = 0; i < 20; i++) calibration.Record(ScanCalibration.MinSampleUnits / 2, Ticks(3, ScanCalibration.MinSampleUnits / 2));
        Assert.Equal(1, calibration.Scale);
        calibration.IsDisabled = true;
        Feed(ref calibration, 3, 3, 3, 3, 3, 3, 3, 3);
        Assert.Equal(1, calibration.Scale);
        Assert.False(calibration.Times(Units, Units));
        calibration.IsDisabled = false;
        Assert.True(calibration.Times(Units, Units));
        Assert.True(calibration.Times(Units, 1.25 * Units)); // a heap of a quarter of the pass
        Assert.False(calibration.Times(Units, 1.3 * Units)); // more: the model's heap term would weigh
        Assert.False(calibration.Times(ScanCalibration.MinSampleUnits / 2, ScanCalibration.MinSampleUnits)); // a short pass
    }

    [Fact]
    public void TheScaleStaysWithinItsClamps()
    {
        var slow = new ScanCalibration();
        Feed(ref slow, Enumerable.Repeat(40.0, 40).ToArray());
        Assert.Equal(ScanCalibration.MaxScale, slow.Scale);
        var fast = new ScanCalibration();
        Feed(ref fast, Enumerable.Repeat(0.01, 40).ToArray());
        Assert.Equal(ScanCalibration.MinScale, fast.Scale);
    }

    [Fact]
    public void OnePreemptedSampleMovesAWarmScaleByABoundedStepAndANewRateIsFollowed()
    {
        var calibration = new ScanCalibration();
        Feed(ref calibration, 1, 1, 1, 1, 1, 1);
        Assert.Equal(1, calibration.Scale, 6);
        Feed(ref calibration, 1000); // a scan preempted for a millisecond
        Assert.InRange(calibration.Scale, 1.0001, Math.Pow(2, ScanCalibration.Weight) + 1e-9);
        Feed(ref calibration, Enumerable.Repeat(3.0, 60).ToArray()); // the machine's scans became slower
        Assert.Equal(3, calibration.Scale, 1);
    }

    /// <summary>
    /// A learnt price moves only the break-even point: a door that has learnt that scans cost four times
    /// the model sends more k-NN queries through the tables, with the same answers.
    /// </summary>
    [Fact]
    public void ALearntPriceMovesTheDoorsChoiceAndNeverItsAnswers()
    {
        var layout = new CodeLayout(64);
        var rng = new Random(17);
        ulong[] codes = TestCodes.Uniform(rng, layout, 200_000);
        using CodeStore store = TestCodes.InMemoryStore(64, codes);
        var index = new MultiIndexHash(store);
        ulong[][] queries = Enumerable.Range(0, 40).Select(_ => TestCodes.Uniform(rng, layout, 1)).ToArray();

        int ViaTables(MultiIndexSearcher door)
        {
            int via = 0;
            foreach (ulong[] query in queries)
            {
                door.ResetBackoff();
                SearchResult result = door.TopK(query, 1);
                Assert.Equal(door.Scan.TopK(query, 1), result.Neighbors);
                if (result.Path == SearchPath.MultiIndex) via++;
            }
            return via;
        }

        var model = new MultiIndexSearcher(index);
        model.ScanCalibration.IsDisabled = true;
        var learnt = new MultiIndexSearcher(index);
        for (int i = 0; i < 20; i++) learnt.ScanCalibration.Record(Units, Ticks(ScanCalibration.MaxScale));
        learnt.ScanCalibration.IsDisabled = true; // keep what it learnt; this machine's own scans must not move it
        Assert.Equal(ScanCalibration.MaxScale, learnt.ScanCalibration.Scale);
        int atModel = ViaTables(model), atLearnt = ViaTables(learnt);
        Assert.True(atLearnt > atModel, $"{atLearnt} queries through the tables at 4x the scan's price, {atModel} at the model's");
    }

    /// <summary>
    /// The learnt price of reading the store (<see cref="SearchBudget.StorePrice"/>) prices what reads the
    /// store: each candidate of tables of positions only and the scan of the codes appended since the
    /// tables were built, never the probes nor an entry of tables with codes; the answer is the same.
    /// </summary>
    [Theory]
    [InlineData(false, 2.0)]
    [InlineData(false, 0.5)]
    [InlineData(true, 2.0)]
    public void TheStoresPricePricesTheWorkThatReadsTheStore(bool codesInTables, double price)
    {
        var layout = new CodeLayout(64);
        var rng = new Random(23);
        ulong[] codes = TestCodes.Clustered(rng, layout, 20_000, 200, 0.1);
        using CodeStore store = TestCodes.InMemoryStore(64, codes);
        var index = new MultiIndexHash(store, new MultiIndexOptions { CodesInTables = codesInTables, MaxDeltaCount = long.MaxValue });
        _ = index.TryTopK(codes.AsSpan(0, 1), 1, SearchBudget.Unlimited, out Neighbor[]? _, out _); // the tables are built
        const int Appended = 3_000;
        ulong[] more = TestCodes.Clustered(rng, layout, Appended, 200, 0.1);
        store.AppendRange(more, Enumerable.Range(codes.Length, Appended).Select(i => (long)i).ToArray());
        Assert.Equal(Appended, index.DeltaCount);
        ulong[] query = TestCodes.QueryNear(rng, layout, codes, 0.05);

        Assert.True(index.TryTopK(query, 10, SearchBudget.Unlimited, out Neighbor[]? atModel, out long candidates, out double spentAtModel));
        Assert.True(index.TryTopK(query, 10, SearchBudget.Unlimited with { StorePrice = price }, out Neighbor[]? atPrice, out long candidatesAtPrice, out double spentAtPrice));
        Assert.Equal(atModel, atPrice);
        Assert.Equal(candidates, candidatesAtPrice);
        double storeReads = SearchCostModel.ScanCost(Appended, layout.WordsPerCode)
            + (codesInTables ? 0 : (candidates - Appended) * SearchCostModel.CandidateCost(false, layout.WordsPerCode, store.Count));
        double tableReads = spentAtModel - storeReads - (codesInTables ? (candidates - Appended) * SearchCostModel.CandidateCost(true, layout.WordsPerCode) : 0);
        Assert.True(tableReads > 0 && candidates > Appended, $"{tableReads} of {spentAtModel} units on probes, {candidates} candidates");
        Assert.Equal(spentAtModel + (price - 1) * storeReads, spentAtPrice, 6);

        // A radius search weighs its counted rings and the delta scan against its budget before it reads
        // an entry: the least budget it answers within moves with the store's price, as its reads do.
        double atOne = LeastRadiusBudget(index, query, 1), atPriceLeast = LeastRadiusBudget(index, query, price);
        Assert.Equal(price > 1, atPriceLeast > atOne);
        Assert.True(atPriceLeast >= atOne + (price - 1) * SearchCostModel.ScanCost(Appended, layout.WordsPerCode) - 1e-6 * atOne || price < 1,
            $"least budget {atPriceLeast} at price {price}, {atOne} at the model's");
    }

    /// <summary>
    /// A candidate of positions-only tables is priced at the store's price while the store fits the cache
    /// (a read the cache serves, as it serves the scan) and at the model's past it (a read from memory,
    /// bound by latency where the scan is bound by bandwidth); an entry of tables with codes never moves.
    /// </summary>
    [Fact]
    public void OnlyACachedStoresCandidatesMoveWithItsPrice()
    {
        long cached = (long)(SearchCostModel.CachedWords / 2), uncached = (long)(SearchCostModel.CachedWords / 2) + 1;
        foreach (double price in new[] { 0.5, 1.7, 4.0 })
        {
            Assert.Equal(price * SearchCostModel.CandidateCost(false, 2, cached), SearchCostModel.CandidateCost(false, 2, cached, price), 9);
            Assert.Equal(SearchCostModel.CandidateCost(false, 2, uncached), SearchCostModel.CandidateCost(false, 2, uncached, price));
            Assert.Equal(SearchCostModel.CandidateCost(true, 2, cached), SearchCostModel.CandidateCost(true, 2, cached, price));
        }
        Assert.True(SearchCostModel.CandidateCost(false, 2, uncached) > SearchCostModel.CandidateCost(false, 2, cached));
    }

    /// <summary>The least budget (to a part in a million) within which a radius-2 search of <paramref name="query"/> answers, at the store's <paramref name="price"/>.</summary>
    private static double LeastRadiusBudget(MultiIndexHash index, ulong[] query, double price)
    {
        bool Answers(double units) => index.TryWithinRadius(query, 2, new List<Neighbor>(), new SearchBudget(units) { StorePrice = price }, out _);
        double high = 1;
        while (!Answers(high)) high *= 2;
        double low = high / 2;
        while (high - low > 1e-6 * high)
        {
            double middle = (low + high) / 2;
            if (Answers(middle)) high = middle;
            else low = middle;
        }
        return high;
    }
}
