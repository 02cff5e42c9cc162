using BenchmarkDotNet.Attributes;
using HammingIndex.MultiIndex;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// Bulk build of the multi-index tables (two cores: one table per core at a time), with the tables'
/// bytes per code. Run:
/// <c>dotnet run -c Release --project bench/HammingIndex.Benchmarks -- --filter '*MultiIndexBuild*'</c>.
/// </summary>
[Config(typeof(MultiIndexBuildConfig))]
public class MultiIndexBuildBenchmarks : MultiIndexSetBenchmark
{
    [GlobalSetup]
    public void Setup()
    {
        string key = LoadSet();
        MultiIndexStatsColumn.Record("m", key, Set.Index.SubstringCount.ToString());
        MultiIndexStatsColumn.Record("Table B/code", key, Set.Index.TableBytesPerCode.ToString("F1"));
        MultiIndexStatsColumn.Record("Code B/code", key, Set.Store.Layout.BytesPerCode.ToString());
    }

    /// <summary>Builds all m tables over the N codes (in the layout of the set's own index).</summary>
    [Benchmark]
    public long Build() => new MultiIndexHash(Set.Store, Set.Index.Options).TableBytes;
}
