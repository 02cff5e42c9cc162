using BenchmarkDotNet.Attributes;
using HammingIndex.Kernels;
using System.Runtime.InteropServices;

namespace HammingIndex.Benchmarks.Kernels;

/// <summary>
/// One query against a whole code set, per kernel path and code size: <see cref="Distances"/> writes
/// every distance; <see cref="CollectWithin"/> is the fused scan with a low bound (bits / 4: almost
/// nothing passes, as in a top-k scan once the heap is full). Throughput columns give codes/s and GB/s.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class KernelBenchmarks
{
    private ulong* _codes;
    private ulong[] _query = [];
    private int[] _indices = [];
    private int[] _distances = [];
    private int _count;

    /// <summary>Code length in bits.</summary>
    [Params(64, 256, 1024)]
    public int Bits { get; set; }

    /// <summary>Instruction-set path.</summary>
    [Params(KernelPath.Scalar, KernelPath.Avx2, KernelPath.Avx512)]
    public KernelPath Path { get; set; }

    /// <summary>In-cache or DRAM-sized code set.</summary>
    [Params(CodeSet.Cache, CodeSet.Dram)]
    public CodeSet Set { get; set; }

    private ReadOnlySpan<ulong> Codes => new(_codes, _count * _query.Length);

    /// <summary>Random codes and query.</summary>
    [GlobalSetup]
    public void Setup()
    {
        int words = Bits / 64;
        _count = CodeSets.Count(Set, Bits);
        _codes = CodeSets.AllocateRandom((long)_count * words, 1);
        _query = new ulong[words];
        new Random(2).NextBytes(MemoryMarshal.AsBytes(_query.AsSpan()));
        _indices = new int[_count];
        _distances = new int[_count];
    }

    /// <summary>Frees the codes.</summary>
    [GlobalCleanup]
    public void Cleanup() => NativeMemory.AlignedFree(_codes);

    /// <summary>Every distance.</summary>
    [Benchmark]
    public void Distances() => HammingKernels.Distances(_query, Codes, _distances, Path);

    /// <summary>Fused scan with bound bits / 4.</summary>
    [Benchmark]
    public int CollectWithin() => HammingKernels.CollectWithin(_query, Codes, Bits / 4, _indices, _distances, Path);
}
