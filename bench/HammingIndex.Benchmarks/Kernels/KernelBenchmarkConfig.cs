using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace HammingIndex.Benchmarks.Kernels;

/// <summary>
/// A short job (1 launch, 3 warmups, 10 iterations: the machine is shared) plus Min and throughput columns.
/// Pass <c>--job</c> on the command line to override.
/// </summary>
public sealed class KernelBenchmarkConfig : ManualConfig
{
    /// <summary>Creates the config.</summary>
    public KernelBenchmarkConfig()
    {
        AddJob(Job.ShortRun.WithIterationCount(10).WithId("Short"));
        AddColumn(StatisticColumn.Min, ThroughputColumn.CodesPerSecond, ThroughputColumn.GigabytesPerSecond);
    }
}
