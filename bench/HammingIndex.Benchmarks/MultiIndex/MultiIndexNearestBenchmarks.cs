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
public class MultiIndexNearestBenchmarks
{
    private readonly Neighbor[] _results = new Neighbor[100];
    private MultiIndexData _data = null!;

    [ParamsSource(typeof(MultiIndexData), nameof(MultiIndexData.Sizes))]
    public int N { get; set; }

    [ParamsSource(typeof(MultiIndexData), nameof(MultiIndexData.CodeLengths))]
    public int Bits { get; set; }

    [ParamsSource(typeof(MultiIndexData), nameof(MultiIndexData.Kinds))]
    public CodeData Data { get; set; }

    [Params(1, 10, 100)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = MultiIndexData.Get(N, Bits, Data);
        string key = MultiIndexStatsColumn.Key(("N", N), ("Bits", Bits), ("Data", Data), ("K", K));
        long mihCandidates = 0, doorCandidates = 0;
        int viaIndex = 0;
        for (int q = 0; q < MultiIndexData.DefaultQueryCount; q++)
        {
            _data.Index.TryTopK(_data.Query(q), K, SearchBudget.Unlimited, _results, out long candidates);
            mihCandidates += candidates;
            var result = _data.Door.TopK(_data.Query(q), K);
            doorCandidates += result.CandidatesVerified;
            if (result.Path == HammingIndex.MultiIndex.SearchPath.MultiIndex) viaIndex++;
        }
        MultiIndexStatsColumn.RecordQueryStats(key, mihCandidates, doorCandidates, viaIndex);
    }

    /// <summary>The exact scan (ScanSearcher.TopK), one query after another.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = MultiIndexData.DefaultQueryCount)]
    public int Scan()
    {
        int found = 0;
        for (int q = 0; q < MultiIndexData.DefaultQueryCount; q++) found += _data.Scan.TopK(_data.Query(q), K, _results);
        return found;
    }

    /// <summary>Multi-index incremental k-NN only.</summary>
    [Benchmark(OperationsPerInvoke = MultiIndexData.DefaultQueryCount)]
    public int Mih()
    {
        int found = 0;
        for (int q = 0; q < MultiIndexData.DefaultQueryCount; q++) found += _data.Index.TopK(_data.Query(q), K, _results);
        return found;
    }

    /// <summary>The front door: the multi-index under a work limit, else the scan.</summary>
    [Benchmark(OperationsPerInvoke = MultiIndexData.DefaultQueryCount)]
    public int FrontDoor()
    {
        int found = 0;
        for (int q = 0; q < MultiIndexData.DefaultQueryCount; q++) found += _data.Door.TopK(_data.Query(q), K).Neighbors.Length;
        return found;
    }
}
