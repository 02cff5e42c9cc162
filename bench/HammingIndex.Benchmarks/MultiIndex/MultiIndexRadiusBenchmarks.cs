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
public class MultiIndexRadiusBenchmarks
{
    private readonly List<Neighbor> _results = [];
    private MultiIndexData _data = null!;

    [ParamsSource(typeof(MultiIndexData), nameof(MultiIndexData.Sizes))]
    public int N { get; set; }

    [ParamsSource(typeof(MultiIndexData), nameof(MultiIndexData.CodeLengths))]
    public int Bits { get; set; }

    [ParamsSource(typeof(MultiIndexData), nameof(MultiIndexData.Kinds))]
    public CodeData Data { get; set; }

    [Params(0, 1, 2, 3, 4)]
    public int R { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = MultiIndexData.Get(N, Bits, Data);
        string key = MultiIndexStatsColumn.Key(("N", N), ("Bits", Bits), ("Data", Data), ("R", R));
        long mihCandidates = 0, doorCandidates = 0;
        int viaIndex = 0;
        for (int q = 0; q < MultiIndexData.DefaultQueryCount; q++)
        {
            _results.Clear();
            _data.Index.TryWithinRadius(_data.Query(q), R, _results, SearchBudget.Unlimited, out long candidates);
            mihCandidates += candidates;
            var result = _data.Door.WithinRadius(_data.Query(q), R);
            doorCandidates += result.CandidatesVerified;
            if (result.Path == HammingIndex.MultiIndex.SearchPath.MultiIndex) viaIndex++;
        }
        MultiIndexStatsColumn.RecordQueryStats(key, mihCandidates, doorCandidates, viaIndex);
    }

    /// <summary>The exact scan (ScanSearcher.WithinRadius), one query after another.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = MultiIndexData.DefaultQueryCount)]
    public int Scan()
    {
        int found = 0;
        for (int q = 0; q < MultiIndexData.DefaultQueryCount; q++)
        {
            _results.Clear();
            _data.Scan.WithinRadius(_data.Query(q), R, _results);
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
            _data.Index.WithinRadius(_data.Query(q), R, _results);
            found += _results.Count;
        }
        return found;
    }

    /// <summary>The front door: cost model picks the multi-index or the scan per query.</summary>
    [Benchmark(OperationsPerInvoke = MultiIndexData.DefaultQueryCount)]
    public int FrontDoor()
    {
        int found = 0;
        for (int q = 0; q < MultiIndexData.DefaultQueryCount; q++) found += _data.Door.WithinRadius(_data.Query(q), R).Neighbors.Length;
        return found;
    }
}
