using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using HammingIndex.Kernels;

namespace HammingIndex.Benchmarks.Kernels;

/// <summary>
/// Every kernel path and a plain read of the same bytes, interleaved round by round in one process,
/// so their ratios hold even when other processes load the machine (separate BenchmarkDotNet cases
/// run minutes apart under different load). Each benchmark invocation is one round: one pass per
/// path and operation, timed; the fastest pass of each is kept. The report lines start with
/// "SideBySide" in the benchmark log (the BenchmarkDotNet mean of a round itself means little).
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class KernelPathsSideBySide
{
    private readonly Dictionary<string, double> _fastest = [];
    private KernelWorkload _work = null!;
    private int _passesPerTiming;
    private ulong _sink;

    /// <summary>Code length in bits.</summary>
    [Params(64, 256, 1024)]
    public int Bits { get; set; }

    /// <summary>In-cache or DRAM-sized code set.</summary>
    [Params(CodeSet.Cache, CodeSet.Dram)]
    public CodeSet Set { get; set; }

    /// <summary>Random codes and query.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _work = KernelWorkload.Create(Bits, Set);
        _passesPerTiming = Set == CodeSet.Cache ? 16 : 1; // a timing of about 0.1 to 10 ms
    }

    /// <summary>One interleaved round over all paths.</summary>
    [Benchmark]
    public void Round()
    {
        Time("Read", () => _sink ^= ReadAll());
        foreach (KernelPath path in HammingKernels.SupportedPaths)
        {
            Time($"CollectWithin {path}", () => HammingKernels.CollectWithin(_work.Query, _work.Codes, Bits / 4, _work.Indices, _work.Distances, path));
            Time($"Distances {path}", () => HammingKernels.Distances(_work.Query, _work.Codes, _work.Distances, path));
        }
    }

    /// <summary>Prints the fastest pass of each path as codes/s, GB/s and ratios; frees the codes.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        double bytes = CodeSets.Bytes(Set);
        foreach ((string name, double seconds) in _fastest)
        {
            string ratio = name.StartsWith("Read", StringComparison.Ordinal) ? ""
                : $"  {_fastest["Read"] / seconds * 100,5:F0}% of read  x{_fastest[name.Split(' ')[0] + " Scalar"] / seconds,5:F2} vs scalar";
            Console.WriteLine($"SideBySide Bits={Bits,-4} Set={Set,-5} {name,-22} {_work.Count / seconds / 1e9,7:F2} Gcodes/s {bytes / seconds / 1e9,7:F2} GB/s{ratio}");
        }
        _work.Dispose();
    }

    private void Time(string name, Action pass)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < _passesPerTiming; i++) pass();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds / _passesPerTiming;
        _fastest[name] = Math.Min(seconds, _fastest.GetValueOrDefault(name, double.MaxValue));
    }

    private ulong ReadAll() => CodeSets.ReadAll(_work.Pointer, CodeSets.Bytes(Set) / sizeof(ulong));
}
