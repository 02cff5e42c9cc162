// The unsupervised quality and scaling runs of docs/QUALITY.md ("Unsupervised") and bench/README.md
// (scripts/quality-unsupervised.sh, scripts/bench-unsupervised.sh call it):
//   hamming-unsup eval wiki|icons|segment [--bits 16,32,64,128] [--seeds 1,2,3,4,5] [--methods lsh,cca,graph,scratch] [--out FILE]
//       the graph trainer, CCA-ITQ, LSH and supervised SCRATCH; both protocols; labels score only.
//   hamming-unsup tune wiki|icons|segment [--bits 32] [--seed 1] [--knobs cca,hash,w,η,θ,ρ,s,m,k,λ,α,μ,βy,βx,I]
//       validation grid on a split of the training pairs (the test queries are never read).
//   hamming-unsup scale --pairs N [--bits 64] [--dims 128] [--iterations 20]
//       trains the graph trainer on N synthetic pairs; prints time and peak working set.
using System.Diagnostics;
using System.Globalization;
using HammingIndex.Training;
using HammingIndex.Training.Datasets;
using HammingIndex.Training.Unsupervised;
using HammingIndex.Unsupervised;

if (args.Length < 1 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: hamming-unsup eval|tune DATASET [--bits ..] [--seeds ..] [--out FILE] | scale --pairs N [--bits 64] [--dims 128]");
    return args.Length == 0 ? 1 : 0;
}

// One thread per run: on a shared machine the parallel regions of MathNet and of the trainers wait
// for descheduled workers far longer than they save (every run was 10-50x slower in wall time).
MathNet.Numerics.Control.UseSingleThread();
var c = CultureInfo.InvariantCulture;
string command = args[0];
int argStart = command == "scale" ? 1 : 2;
int[] bits = [16, 32, 64, 128], seeds = [1, 2, 3, 4, 5];
string? output = null;
string[]? methodFilter = null, knobFilter = null;
int pairs = 5000, dims = 128, iterations = 20;
for (int i = argStart; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    int[] Numbers(string text) => text.Split(',').Select(s => int.Parse(s, c)).ToArray();
    switch (args[i])
    {
        case "--bits": bits = Numbers(Value()); break;
        case "--seeds" or "--seed": seeds = Numbers(Value()); break;
        case "--out": output = Value(); break;
        case "--methods": methodFilter = Value().Split(','); break;
        case "--knobs": knobFilter = Value().Split(','); break;
        case "--pairs": pairs = int.Parse(Value(), c); break;
        case "--dims": dims = int.Parse(Value(), c); break;
        case "--iterations": iterations = int.Parse(Value(), c); break;
        default: Console.Error.WriteLine($"hamming-unsup: unknown option '{args[i]}'."); return 1;
    }
}

try
{
    if (command == "scale")
    {
        var (image, text) = Synthetic.Pairs(pairs, dims, seed: 7);
        var clock = Stopwatch.StartNew();
        UnsupervisedTrainingResult result = UnsupervisedTrainer.Train(image, text, new UnsupervisedOptions { Bits = bits[0], Seed = 1, Hashing = new() { Iterations = iterations } });
        double seconds = clock.Elapsed.TotalSeconds;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine(string.Create(c,
            $"pairs {pairs}, {dims}-d x 2, {bits[0]} bits, {iterations} SCRATCH iterations: graph {result.GraphTime.TotalSeconds:F2} s, total {seconds:F2} s, CPU time {process.TotalProcessorTime.TotalSeconds:F2} s, peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MiB (features alone {2.0 * pairs * dims * 8 / 1048576:F0} MiB)"));
        return 0;
    }

    string set = args.Length > 1 ? args[1] : throw new ArgumentException("Name a data set: wiki, icons or segment.");
    (string name, CrossModalSplit train, CrossModalSplit test) = set switch
    {
        "wiki" => WikiDataset.Load() is var w ? ("Wiki", w.Train, w.Test) : default,
        "icons" => IconsDataset.Load() is var ic ? ("Material Design Icons", ic.Train, ic.Test) : default,
        "segment" => SegmentationDataset.Load() is var sg ? ("UCI Image Segmentation", sg.Train, sg.Test) : default,
        _ => throw new ArgumentException($"Unknown data set '{set}' (wiki, icons, segment)."),
    };
    void Log(string line) => Console.Error.WriteLine(line);
    string markdown = command switch
    {
        "eval" => TwoProtocolBenchmark.Run(name, train, test, MethodSettings.For(set, methodFilter), bits, seeds, Log).ToMarkdown(),
        "tune" => Tuning.Run(name, set, train, bits[0], seeds[0], Log, knobFilter),
        _ => throw new ArgumentException($"Unknown command '{command}' (eval, tune, scale)."),
    };
    Console.WriteLine(markdown);
    if (output is not null) File.WriteAllText(output, markdown);
    return 0;
}
catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"hamming-unsup: {e.Message}");
    return 1;
}
