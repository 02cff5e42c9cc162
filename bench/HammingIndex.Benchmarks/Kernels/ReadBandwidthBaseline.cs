using BenchmarkDotNet.Attributes;
using System.Runtime.InteropServices;

namespace HammingIndex.Benchmarks.Kernels;

/// <summary>
/// A plain read of the same number of bytes as <see cref="KernelBenchmarks"/> scans (xor-reduced with
/// 512-bit loads, 4 accumulators): the memory-bandwidth ceiling a kernel's GB/s is compared with.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class ReadBandwidthBaseline
{
    private ulong* _words;
    private long _count;

    /// <summary>In-cache or DRAM-sized set.</summary>
    [Params(CodeSet.Cache, CodeSet.Dram)]
    public CodeSet Set { get; set; }

    /// <summary>Random words.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _count = CodeSets.Bytes(Set) / sizeof(ulong);
        _words = CodeSets.AllocateRandom(_count, 3);
    }

    /// <summary>Frees the words.</summary>
    [GlobalCleanup]
    public void Cleanup() => NativeMemory.AlignedFree(_words);

    /// <summary>Reads every byte once.</summary>
    [Benchmark]
    public ulong ReadAll() => CodeSets.ReadAll(_words, _count);
}
