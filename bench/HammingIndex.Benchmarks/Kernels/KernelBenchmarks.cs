using BenchmarkDotNet.Attributes;
using HammingIndex.Kernels;

namespace HammingIndex.Benchmarks.Kernels;

/// <summary>
/// One query against a whole code set, per kernel path and code size: <see cref="Distances"/> writes
/// every distance; <see cref="CollectWithin"/> is the fused scan with a low bound (bits / 4: almost
/// nothing passes, as in a top-k scan once the heap is full). Throughput columns give codes/s and GB/s.
/// </summary>
[Config(typeof(KernelBenchmarkConfig))]
public unsafe class KernelBenchmarks
{
    private KernelWorkload _work = null!;

    /// <summary>Code length in bits.</summary>
    [Params(64, 256, 1024)]
    public int Bits { get; set; }

    /// <summary>Instruction-set path.</summary>
    [Params(KernelPath.Scalar, KernelPath.Avx2, KernelPath.Avx512)]
    public KernelPath Path { get; set; }

    /// <summary>In-cache or DRAM-sized code set.</summary>
    [Params(CodeSet.Cache, CodeSet.Dram)]
    public CodeSet Set { get; set; }

    /// <summary>Random codes and query.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _work = KernelWorkload.Create(Bits, Set);
    }

    /// <summary>Frees the codes.</summary>
    [GlobalCleanup]
    public void Cleanup() => _work.Dispose();

    /// <summary>Every distance.</summary>
    [Benchmark]
    public void Distances() => HammingKernels.Distances(_work.Query, _work.Codes, _work.Distances, Path);

    /// <summary>Fused scan with bound bits / 4.</summary>
    [Benchmark]
    public int CollectWithin() => HammingKernels.CollectWithin(_work.Query, _work.Codes, Bits / 4, _work.Indices, _work.Distances, Path);
}
