using BenchmarkDotNet.Attributes;
using HammingIndex.MultiIndex;
using HammingIndex.Search;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// Lookup within radius R = 0..4 of 16 queries: multi-index probing vs the exact scan vs the front
/// door, same queries, same run. Run:
/// <c>dotnet run -c Release --project bench/HammingIndex.Benchmarks -- --filter '*MultiIndexRadius*'</c>.
/// </summary>
[Config(typeof(MultiIndexBenchmarkConfig))]
public class MultiIndexRadiusBenchmarks : MultiIndexSetBenchmark
{
    private readonly List<Neighbor> _results = [];

    [Params(0, 1, 2, 3, 4)]
    public int R { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string key = LoadSet(("R", R));
        MultiIndexStatsColumn.RecordQueryStats(key, Set,
            query =>
            {
                _results.Clear();
                Set.Index.TryWithinRadius(query, R, _results, SearchBudget.Unlimited, out long candidates);
                return candidates;
            },
            query => Set.Door.WithinRadius(query, R));
    }

    /// <summary>The exact scan (ScanSearcher.WithinRadius), one query after another.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = MultiIndexData.DefaultQueryCount)]
    public int Scan()
    {
        int found = 0;
        for (int q = 0; q < MultiIndexData.DefaultQueryCount; q++)
        {
            _results.Clear();
            Set.Scan.WithinRadius(Set.Query(q), R, _results);
            found += _results.Count;
        }
        return found;
    }

    /// <summary>Multi-index probing only.</summary>
    [Benchmark(OperationsPerInvoke = MultiIndexData.DefaultQueryCount)]
    public int Mih()
    {
        int found = 0;
        for (int q = 0; q < MultiIndexData.DefaultQueryCount; q++)
        {
            _results.Clear();
            Set.Index.WithinRadius(Set.Query(q), R, _results);
            found += _results.Count;
        }
        return found;
    }

    /// <summary>The front door: cost model picks the multi-index or the scan per query.</summary>
    [Benchmark(OperationsPerInvoke = MultiIndexData.DefaultQueryCount)]
    public int FrontDoor()
    {
        int found = 0;
        for (int q = 0; q < MultiIndexData.DefaultQueryCount; q++) found += Set.Door.WithinRadius(Set.Query(q), R).Neighbors.Length;
        return found;
    }
}
