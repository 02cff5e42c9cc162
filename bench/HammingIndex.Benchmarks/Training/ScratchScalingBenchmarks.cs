using BenchmarkDotNet.Attributes;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Benchmarks.Training;

/// <summary>
/// How one SCRATCH iteration grows with the pairs n, the anchors a and the bits r (synthetic
/// Wiki-shaped data, all cores, kernel features cached when they fit 1 GiB as by default).
/// Expected: linear in n and in a, between linear and quadratic in r (the r x r terms).
/// The one-time set-up (kernel maps, Gram matrices, a x a factorization) is in <see cref="Setup"/>.
/// </summary>
[Config(typeof(ShortMonitoringConfig))]
public class ScratchScalingBenchmarks
{
    private ScratchSolver _solver = null!;
    private SyntheticPairs _data = null!;
    private readonly CpuTimeMeter _cpu = new();

    /// <summary>(n, anchors, bits): a base point and one axis varied at a time; 20,000 x 2,000 x 64 is the synthetic case.</summary>
    public static IEnumerable<(int N, int Anchors, int Bits)> Shapes =>
    [
        (5000, 500, 64), (10000, 500, 64), (20000, 500, 64),
        (5000, 1000, 64), (5000, 2000, 64),
        (5000, 500, 32), (5000, 500, 128),
        (20000, 2000, 64),
    ];

    /// <summary>The shape measured.</summary>
    [ParamsSource(nameof(Shapes))]
    public (int N, int Anchors, int Bits) Shape { get; set; }

    /// <summary>Builds the data and a ready solver.</summary>
    [GlobalSetup]
    public void Prepare()
    {
        _data = SyntheticPairs.Create(Shape.N);
        _solver = CreateSolver();
        _cpu.Start();
    }

    /// <summary>Prints the CPU time per call.</summary>
    [GlobalCleanup]
    public void Cleanup() => _cpu.Report($"n = {Shape.N}, anchors = {Shape.Anchors}, bits = {Shape.Bits}");

    /// <summary>One-time work of a training: kernel maps, Gram matrices, factorizations, initial pass.</summary>
    [Benchmark]
    public object Setup()
    {
        _cpu.Count();
        return CreateSolver();
    }

    private ScratchSolver CreateSolver()
    {
        var options = new ScratchOptions { Bits = Shape.Bits, Anchors = Shape.Anchors };
        var imageMap = HammingIndex.Training.Kernelization.RbfKernelMap.Fit(_data.Image, Shape.Anchors, 1);
        var textMap = HammingIndex.Training.Kernelization.RbfKernelMap.Fit(_data.Text, Shape.Anchors, 2);
        return new ScratchSolver(_data.Image, _data.Text, _data.Labels, imageMap, textMap, options, 3);
    }

    /// <summary>One iteration (B, Ux, Uy, G, Wx, Wy, V, R).</summary>
    [Benchmark]
    public void OneIteration()
    {
        _cpu.Count();
        _solver.RunIteration();
    }
}
