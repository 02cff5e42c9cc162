// The quality runs of docs/QUALITY.md as a console entry (scripts/quality-*.sh call it), until the
// `hamming` CLI exposes the same library call (CrossModalBenchmark) as `hamming eval`.
//   hamming-quality wiki|icons|segment [--bits 16,32,64,128] [--seeds 1,2,3,4,5] [--high-dim] [--joint-only] [--ceiling] [--out FILE]
// Every SCRATCH model is trained once with the default validated hash functions and scored with the
// authors' joint ones ("SCRATCH": before), the code-regression ones ("SCRATCH + code regression") and
// the ones the validation split chose ("SCRATCH validated": the default, after), each under both
// database protocols.
// --high-dim also scores SCRATCH with mu = 100, alpha = 10 (the authors' advice for high-dimensional features).
// --joint-only trains SCRATCH with the joint hash functions alone and scores only them ("SCRATCH"): the
// same B and the same "SCRATCH" rows as the full run at under half its training time (the CI check).
// --ceiling instead runs the hash-function analysis (HashFunctionCeiling) per bits and seed.
// `wiki` exits with status 2 when SCRATCH's MAP is not within 0.015 of the authors' reference.
using System.Globalization;
using HammingIndex.Training.Datasets;
using HammingIndex.Training.Evaluation;
using HammingIndex.Training.Scratch;

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: hamming-quality wiki|icons|segment [--bits 16,32,64,128] [--seeds 1,2,3,4,5] [--high-dim] [--joint-only] [--ceiling] [--out FILE]");
    return args.Length == 0 ? 1 : 0;
}

string set = args[0];
var options = new BenchmarkOptions { Methods = [.. CrossModalMethod.ScratchBeforeAndAfter(), CrossModalMethod.Lsh] };
string? output = null;
bool ceiling = false;
for (int i = 1; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    int[] Numbers(string text) => text.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
    switch (args[i])
    {
        case "--bits": options = options with { Bits = Numbers(Value()) }; break;
        case "--seeds": options = options with { Seeds = Numbers(Value()) }; break;
        case "--out": output = Value(); break;
        case "--ceiling": ceiling = true; break;
        case "--joint-only":
            options = options with { Methods = [CrossModalMethod.Scratch(new ScratchOptions { HashFunctions = ScratchHashFunctions.Joint }), CrossModalMethod.Lsh] };
            break;
        case "--high-dim":
            // The authors' advice for high-dimensional features, scored beside the defaults.
            options = options with
            {
                Methods = [.. CrossModalMethod.ScratchBeforeAndAfter(), .. CrossModalMethod.ScratchBeforeAndAfter(new ScratchOptions { Mu = 100, Alpha = 10 }, "SCRATCH mu=100 alpha=10"), CrossModalMethod.Lsh],
            };
            break;
        default: Console.Error.WriteLine($"hamming-quality: unknown option '{args[i]}'."); return 1;
    }
}

// The authors' code on Wiki, mean MAP of 5 seeds (issue 4), and the agreed tolerance.
var wikiReference = new Dictionary<(int, RetrievalDirection), double>
{
    [(16, RetrievalDirection.ImageToText)] = 0.366, [(16, RetrievalDirection.TextToImage)] = 0.745,
    [(32, RetrievalDirection.ImageToText)] = 0.378, [(32, RetrievalDirection.TextToImage)] = 0.757,
    [(64, RetrievalDirection.ImageToText)] = 0.383, [(64, RetrievalDirection.TextToImage)] = 0.761,
    [(128, RetrievalDirection.ImageToText)] = 0.387, [(128, RetrievalDirection.TextToImage)] = 0.758,
};
const double Tolerance = 0.015;

try
{
    QualityReport report;
    string markdown;
    int status = 0;
    void Log(string line) => Console.Error.WriteLine(line);
    if (ceiling)
    {
        (string name, CrossModalSplit train, CrossModalSplit test) = set switch
        {
            "wiki" => WikiDataset.Load() is var w ? ("Wiki", w.Train, w.Test) : default,
            "icons" => IconsDataset.Load() is var i ? ("Material Design Icons", i.Train, i.Test) : default,
            "segment" => SegmentationDataset.Load() is var g ? ("UCI Image Segmentation", g.Train, g.Test) : default,
            _ => throw new ArgumentException($"unknown data set '{set}' (wiki, icons, segment)."),
        };
        var reports = new List<HashCeilingReport>();
        foreach (int bits in options.Bits)
            foreach (int seed in options.Seeds)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                reports.Add(HashFunctionCeiling.Measure(train, test, new ScratchOptions { Bits = bits, Seed = seed }));
                Log($"{name} ceiling {bits} bits seed {seed}: {clock.Elapsed.TotalSeconds:F1} s");
            }
        markdown = CeilingMarkdown.Render(name, reports);
        Console.WriteLine(markdown);
        if (output is not null) File.WriteAllText(output, markdown);
        return 0;
    }
    switch (set)
    {
        case "wiki":
            WikiDataset wiki = WikiDataset.Load();
            report = CrossModalBenchmark.Run("Wiki", wiki.Train, wiki.Test, options, Log);
            markdown = report.ToMarkdown(wikiReference);
            foreach (((int bits, RetrievalDirection d), double reference) in wikiReference)
            {
                if (!options.Bits.Contains(bits)) continue;
                double ours = report.Row("SCRATCH", DatabaseProtocol.TrainingCodes, bits, d).Map;
                bool ok = Math.Abs(ours - reference) <= Tolerance;
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"check: SCRATCH {bits} bits {d.ShortName()}: {ours:F4} vs reference {reference:F3} (diff {ours - reference:+0.0000;-0.0000}) {(ok ? "ok" : "MISSES the 0.015 tolerance")}"));
                if (!ok) status = 2;
            }
            break;
        case "icons":
            IconsDataset icons = IconsDataset.Load();
            report = CrossModalBenchmark.Run("Material Design Icons", icons.Train, icons.Test, options, Log);
            markdown = report.ToMarkdown();
            break;
        case "segment":
            SegmentationDataset segment = SegmentationDataset.Load();
            report = CrossModalBenchmark.Run("UCI Image Segmentation (I = shape view, T = colour view)", segment.Train, segment.Test, options, Log);
            markdown = report.ToMarkdown();
            break;
        default:
            Console.Error.WriteLine($"hamming-quality: unknown data set '{set}' (wiki, icons, segment).");
            return 1;
    }
    Console.WriteLine(markdown);
    if (output is not null) File.WriteAllText(output, markdown);
    return status;
}
catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"hamming-quality: {e.Message}");
    return 1;
}
