using System.Diagnostics;
using HammingIndex.Training;
using HammingIndex.Training.Datasets;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Benchmarks.Training;

/// <summary>
/// <c>train-wiki [trainings]</c>: whole SCRATCH trainings on Wiki (64 bits, 500 anchors, all cores),
/// one untimed warm-up, then <c>trainings</c> timed ones; prints one line with the product path
/// this process runs, the median wall time and the CPU time per training. scripts/train-simd.sh
/// alternates processes with AVX-512 on and off and reports their ratio.
/// </summary>
internal static class WikiTrainingRun
{
    public static void Run(string[] args)
    {
        int trainings = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3;
        var wiki = WikiDataset.Load();
        FeatureMatrix labels = wiki.Train.Labels.ToIndicatorMatrix();
        var options = new ScratchOptions { Bits = 64, Anchors = 500 };
        ScratchTrainer.Train(wiki.Train.Images, wiki.Train.Texts, labels, options);
        var walls = new double[trainings];
        TimeSpan cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        for (int t = 0; t < trainings; t++)
        {
            long start = Stopwatch.GetTimestamp();
            ScratchTrainer.Train(wiki.Train.Images, wiki.Train.Texts, labels, options);
            walls[t] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds / trainings;
        Array.Sort(walls);
        Console.WriteLine(FormattableString.Invariant(
            $"train-wiki path={MatrixProducts.BestPath} trainings={trainings} wall_median_s={walls[trainings / 2]:F3} cpu_per_training_s={cpu:F3}"));
    }
}
