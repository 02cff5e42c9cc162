using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace HammingIndex.Benchmarks.Training;

/// <summary>
/// Run settings of the training benchmarks, as job mutators: they apply to whatever job runs (the
/// default one, or e.g. <c>--job Dry</c> of the smoke script) instead of adding a job of their own,
/// so a smoke run does not also run the full measurement. They run in-process: on the shared
/// 2-core machine the generated out-of-process project did not build within BenchmarkDotNet's
/// 2-minute limit, and long single runs gain nothing from a separate process.
/// </summary>
internal static class InProcessJobs
{
    public static ManualConfig Create(RunStrategy strategy, int warmups, int iterations) =>
        ManualConfig.CreateEmpty().AddJob(Job.Default.WithStrategy(strategy).WithLaunchCount(1).WithWarmupCount(warmups)
            .WithIterationCount(iterations).WithToolchain(InProcessEmitToolchain.Instance).AsMutator());
}

/// <summary>One cold run: the 200,000-pair training.</summary>
public sealed class ColdStartOnceConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public ColdStartOnceConfig() => Add(InProcessJobs.Create(RunStrategy.ColdStart, 0, 1));
}

/// <summary>Whole trainings and iterations: 2 warm-ups, 5 measured runs.</summary>
public sealed class MonitoringConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public MonitoringConfig() => Add(InProcessJobs.Create(RunStrategy.Monitoring, 2, 5));
}

/// <summary>Scaling shapes: 1 warm-up, 3 measured runs (the largest set-up takes tens of seconds).</summary>
public sealed class ShortMonitoringConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public ShortMonitoringConfig() => Add(InProcessJobs.Create(RunStrategy.Monitoring, 1, 3));
}

/// <summary>Kernel micro-benchmarks: throughput, 2 warm-ups, 5 measured iterations.</summary>
public sealed class ThroughputConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public ThroughputConfig() => Add(InProcessJobs.Create(RunStrategy.Throughput, 2, 5));
}
