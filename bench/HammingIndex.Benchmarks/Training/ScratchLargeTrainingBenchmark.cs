using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Benchmarks.Training;

/// <summary>
/// The scale case of issue 4: 200,000 synthetic pairs, 1,000 anchors, 64 bits, 20 iterations, run
/// once. The 2 x 1.6 GB of kernel features exceed the default 1 GiB cache budget, so every
/// iteration recomputes them block by block (memory never holds the n x a matrix). Peak memory:
/// the process's peak working set is printed at the end, and the whole run can be wrapped in
/// <c>/usr/bin/time -v</c> (maximum resident set size of the benchmark child process).
/// </summary>
[Config(typeof(ColdStartOnceConfig))]
public class ScratchLargeTrainingBenchmark
{
    private SyntheticPairs _data = null!;
    private readonly CpuTimeMeter _cpu = new();

    /// <summary>Environment variable that lowers the pair count (e.g. for a smoke run); default 200,000.</summary>
    public const string PairsVariable = "HAMMINGINDEX_SCRATCH_LARGE_N";

    /// <summary>Generates the data (not timed).</summary>
    [GlobalSetup]
    public void Setup()
    {
        _data = SyntheticPairs.Create(int.TryParse(Environment.GetEnvironmentVariable(PairsVariable), out int n) && n >= 1000 ? n : 200_000);
        _cpu.Start();
    }

    /// <summary>Kernel maps + 20 iterations.</summary>
    [Benchmark]
    public ScratchTrainingResult Train200kPairs()
    {
        _cpu.Count();
        return ScratchTrainer.Train(_data.Image, _data.Text, _data.Labels, new ScratchOptions { Bits = 64, Anchors = 1000 });
    }

    /// <summary>Prints the peak working set of the benchmark process.</summary>
    [GlobalCleanup]
    public void Report()
    {
        _cpu.Report($"{_data.Image.Rows:N0} pairs x 1,000 anchors x 64 bits");
        Console.WriteLine($"// peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024 * 1024):F2} GiB");
    }
}
