using BenchmarkDotNet.Attributes;
using HammingIndex.MultiIndex;
using HammingIndex.Search;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// Exact K-NN (K = 1, 10, 100) of 16 queries: multi-index incremental search vs the exact scan vs
/// the front door, same queries, same run. On uniform codes the nearest neighbours are far (about
/// 18 of 64 bits at 10M), so the multi-index must probe many buckets: its worst case. Run:
/// <c>dotnet run -c Release --project bench/HammingIndex.Benchmarks -- --filter '*MultiIndexNearest*'</c>.
/// </summary>
[Config(typeof(MultiIndexBenchmarkConfig))]
public class MultiIndexNearestBenchmarks : MultiIndexSetBenchmark
{
    private readonly Neighbor[] _results = new Neighbor[100];

    [Params(1, 10, 100)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string key = LoadSet(("K", K));
        MultiIndexStatsColumn.RecordQueryStats(key, Set,
            query =>
            {
                Set.Index.TryTopK(query, K, SearchBudget.Unlimited, _results, out long candidates);
                return candidates;
            },
            query => Set.Door.TopK(query, K));
    }

    /// <summary>The exact scan (ScanSearcher.TopK), one query after another.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = MultiIndexData.DefaultQueryCount)]
    public int Scan()
    {
        int found = 0;
        for (int q = 0; q < MultiIndexData.DefaultQueryCount; q++) found += Set.Scan.TopK(Set.Query(q), K, _results);
        return found;
    }

    /// <summary>Multi-index incremental k-NN only.</summary>
    [Benchmark(OperationsPerInvoke = MultiIndexData.DefaultQueryCount)]
    public int Mih()
    {
        int found = 0;
        for (int q = 0; q < MultiIndexData.DefaultQueryCount; q++) found += Set.Index.TopK(Set.Query(q), K, _results);
        return found;
    }

    /// <summary>The front door: the multi-index under a work limit, else the scan.</summary>
    [Benchmark(OperationsPerInvoke = MultiIndexData.DefaultQueryCount)]
    public int FrontDoor()
    {
        int found = 0;
        for (int q = 0; q < MultiIndexData.DefaultQueryCount; q++) found += Set.Door.TopK(Set.Query(q), K).Neighbors.Length;
        return found;
    }
}
