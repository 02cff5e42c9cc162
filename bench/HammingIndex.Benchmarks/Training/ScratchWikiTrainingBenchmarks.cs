using BenchmarkDotNet.Attributes;
using HammingIndex.Training;
using HammingIndex.Training.Datasets;
using HammingIndex.Training.Kernelization;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Benchmarks.Training;

/// <summary>
/// SCRATCH on Wiki (2,173 pairs) with the defaults at 64 bits and 500 anchors, all cores: a whole
/// training (kernel fitting + 20 iterations) and one iteration alone. Needs ../shared/data/wiki
/// (or HAMMINGINDEX_WIKI_DIR).
/// </summary>
[Config(typeof(MonitoringConfig))]
public class ScratchWikiTrainingBenchmarks
{
    private FeatureMatrix _image = null!, _text = null!, _labels = null!;
    private ScratchSolver _solver = null!;
    private readonly ScratchOptions _options = new() { Bits = 64, Anchors = 500 };
    private readonly CpuTimeMeter _cpu = new();

    /// <summary>Loads Wiki and prepares a solver for the per-iteration benchmark.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var wiki = WikiDataset.Load();
        _image = wiki.Train.Images;
        _text = wiki.Train.Texts;
        _labels = wiki.Train.Labels.ToIndicatorMatrix();
        var imageMap = RbfKernelMap.Fit(_image, 500, 1);
        var textMap = RbfKernelMap.Fit(_text, 500, 2);
        _solver = new ScratchSolver(_image, _text, _labels, imageMap, textMap, _options, 3);
        _cpu.Start();
    }

    /// <summary>Prints the CPU time per call.</summary>
    [GlobalCleanup]
    public void Cleanup() => _cpu.Report("Wiki 64 bits 500 anchors");

    /// <summary>Kernel maps, Gram matrices and factorizations, then 20 iterations.</summary>
    [Benchmark]
    public ScratchTrainingResult Train20Iterations()
    {
        _cpu.Count();
        return ScratchTrainer.Train(_image, _text, _labels, _options);
    }

    /// <summary>One iteration (B, Ux, Uy, G, Wx, Wy, V, R).</summary>
    [Benchmark]
    public void OneIteration()
    {
        _cpu.Count();
        _solver.RunIteration();
    }
}
