using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace HammingIndex.Benchmarks;

/// <summary>Runs the benchmarks named on the command line (BenchmarkDotNet switcher).</summary>
public static class Program
{
    /// <summary>Entry point: <c>dotnet run -c Release --project bench/HammingIndex.Benchmarks -- --filter '*'</c>.</summary>
    public static void Main(string[] args)
    {
        if (args is ["scan-paired", ..]) { Scan.ScanPairedRun.Run(args[1..]); return; } // interleaved rounds, see ScanPairedRun
        if (args is ["mih-paired", ..]) { MultiIndex.MultiIndexPairedRun.Run(args[1..]); return; } // interleaved rounds, see MultiIndexPairedRun
        if (args is ["mih-draws", ..]) { MultiIndex.MultiIndexDrawsRun.Run(args[1..]); return; } // one k-NN target across data draws
        if (args is ["door-matrix", ..]) { MultiIndex.DoorMatrixRun.Run(args[1..]); return; } // the front door against its two paths, single and batched
        if (args is ["mapped-tables", ..]) { MultiIndex.MappedTablesRun.Run(args[1..]); return; } // mapped v3 tables vs the same in native memory vs the scan
        if (args is ["door-trace", ..]) { MultiIndex.DoorTraceRun.Run(args[1..]); return; } // one door-matrix row query by query
        if (args is ["batch-trace", ..]) { MultiIndex.BatchTraceRun.Run(args[1..]); return; } // one batch row: memory stalls against the batch
        if (args is ["ring-count", ..]) { MultiIndex.RingCountRun.Run(args[1..]); return; } // a ring's count cold, right after another, and its bare loads
        if (args is ["huge-pages", ..]) { MultiIndex.HugePagesRun.Run(args[1..]); return; } // raw MIH with tables in 4 KiB pages against huge pages
        if (args is ["mih-batch", ..]) { MultiIndex.MultiIndexBatchRun.Run(args[1..]); return; } // the front door on query batches
        if (args is ["peer-faiss", ..]) { Peers.FaissPeerRun.Run(args[1..]); return; } // ours vs FAISS binary indexes
        if (args is ["index-stall", ..]) { Indexing.IndexStallRun.Run(args[1..]); return; } // a search right after a large append: door vs CodeIndex
        if (args is ["train-wiki", ..]) { Training.WikiTrainingRun.Run(args[1..]); return; } // one process's Wiki trainings, see scripts/train-simd.sh
        if (args is ["orleans-shards", ..]) { Orleans.OrleansShardsRun.Run(args[1..]); return; } // sharded index on silo processes vs in-process
        if (args is ["billion", ..]) { Billion.BillionRun.Run(args[1..]); return; } // one row of the billion-scale table, see bench/billion/run.sh
        if (args is ["wake-latency", ..]) { Machine.WakeLatencyRun.Run(args[1..]); return; } // what handing work to another core, and fresh memory, cost here
        if (args is ["memory-latency", ..]) { Machine.MemoryLatencyRun.Run(args[1..]); return; } // a load's cost by the size of its data: the cache this machine gets
        if (args is ["smoke", ..]) { Smoke(); return; }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    /// <summary>
    /// CI's smoke run: every [Benchmark] method once, with its first parameter combination, one Dry
    /// invocation in process (class jobs replaced). Proves the benchmarks build and execute; the
    /// timings mean nothing. Fails (exit 1) if any case did not run.
    /// </summary>
    private static void Smoke()
    {
        IConfig config = ManualConfig.CreateMinimumViable()
            .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance))
            .WithUnionRule(ConfigUnionRule.AlwaysUseGlobal)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator)
            .WithArtifactsPath(Path.Combine("artifacts", "bench-smoke"));
        var runs = typeof(Program).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetMethods().Any(m => m.IsDefined(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false)))
            .Select(t => BenchmarkConverter.TypeToBenchmarks(t, config))
            .Select(info => new BenchmarkRunInfo(
                info.BenchmarksCases.GroupBy(c => c.Descriptor).Select(g => g.First()).ToArray(), info.Type, info.Config))
            .ToArray();
        var summaries = BenchmarkRunner.Run(runs);
        int cases = summaries.Sum(s => s.Reports.Length);
        int failed = summaries.Sum(s => s.Reports.Count(r => !r.Success)) + summaries.Count(s => s.HasCriticalValidationErrors);
        Console.WriteLine($"bench smoke: {cases} cases in {runs.Length} classes, {failed} failed");
        if (failed > 0 || cases == 0) Environment.Exit(1);
    }
}
