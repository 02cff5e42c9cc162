using BenchmarkDotNet.Attributes;
using HammingIndex.MultiIndex;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// Bulk build of the multi-index tables (two cores: one table per core at a time), with the tables'
/// bytes per code. Run:
/// <c>dotnet run -c Release --project bench/HammingIndex.Benchmarks -- --filter '*MultiIndexBuild*'</c>.
/// </summary>
[Config(typeof(MultiIndexBuildConfig))]
public class MultiIndexBuildBenchmarks
{
    private MultiIndexData _data = null!;

    [ParamsSource(typeof(MultiIndexData), nameof(MultiIndexData.Sizes))]
    public int N { get; set; }

    [ParamsSource(typeof(MultiIndexData), nameof(MultiIndexData.CodeLengths))]
    public int Bits { get; set; }

    [ParamsSource(typeof(MultiIndexData), nameof(MultiIndexData.Kinds))]
    public CodeData Data { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = MultiIndexData.Get(N, Bits, Data);
        string key = MultiIndexStatsColumn.Key(("N", N), ("Bits", Bits), ("Data", Data));
        MultiIndexStatsColumn.Record("m", key, _data.Index.SubstringCount.ToString());
        MultiIndexStatsColumn.Record("Table B/code", key, _data.Index.TableBytesPerCode.ToString("F1"));
        MultiIndexStatsColumn.Record("Code B/code", key, _data.Store.Layout.BytesPerCode.ToString());
    }

    /// <summary>Builds all m tables over the N codes.</summary>
    [Benchmark]
    public long Build() => new MultiIndexHash(_data.Store).TableBytes;
}
