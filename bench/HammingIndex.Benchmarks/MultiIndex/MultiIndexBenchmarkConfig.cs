using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// In process (so data sets are generated once and shared across cases), one warm-up and three
/// short iterations: the machine is small and shared; speeds are read as ratios to the scan
/// (the Ratio column: time / scan time, same queries, same run).
/// </summary>
public sealed class MultiIndexBenchmarkConfig : ManualConfig
{
    public MultiIndexBenchmarkConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(120)));
        AddColumn(new MultiIndexStatsColumn("MIH cand/q", "Distinct candidates the multi-index verified per query"),
            new MultiIndexStatsColumn("Door MIH %", "Share of queries the front door answered through the multi-index"),
            new MultiIndexStatsColumn("Door cand/q", "Codes the front door verified per query (n for a scan)"));
        HideColumns(Column.Error, Column.StdDev, Column.RatioSD, Column.Median);
        WithOption(ConfigOptions.JoinSummary, true);
    }
}

/// <summary>Builds run a few seconds each: no pilot, no warm-up, two measured builds.</summary>
public sealed class MultiIndexBuildConfig : ManualConfig
{
    public MultiIndexBuildConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1).WithWarmupCount(0).WithIterationCount(2));
        AddColumn(new MultiIndexStatsColumn("m", "Substrings (tables)"),
            new MultiIndexStatsColumn("Table B/code", "Bytes of all tables per indexed code (the codes themselves not included)"),
            new MultiIndexStatsColumn("Code B/code", "Bytes of one stored code"));
        HideColumns(Column.Error, Column.StdDev, Column.Median);
    }
}
