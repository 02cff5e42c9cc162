using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace HammingIndex.Benchmarks.Kernels;

/// <summary>
/// A short job (1 launch, 3 warmups, 5 iterations: the machine is shared) plus throughput columns.
/// Pass <c>--job</c> on the command line to override.
/// </summary>
public sealed class KernelBenchmarkConfig : ManualConfig
{
    /// <summary>Creates the config.</summary>
    public KernelBenchmarkConfig()
    {
        AddJob(Job.ShortRun.WithIterationCount(5).WithId("Short"));
        AddColumn(ThroughputColumn.CodesPerSecond, ThroughputColumn.GigabytesPerSecond);
    }
}
