using System.ComponentModel;
using System.Diagnostics;
using HammingIndex.Cli.Infrastructure;
using HammingIndex.Codes;
using HammingIndex.Kernels;
using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Storage;
using Spectre.Console;
using Spectre.Console.Cli;

namespace HammingIndex.Cli.Commands;

internal sealed class BenchSettings : CommonSettings
{
    [CommandOption("-n|--count <N>")]
    [Description("Number of database codes.")]
    [DefaultValue(1_000_000)]
    public int Count { get; init; }

    [CommandOption("-b|--bits <BITS>")]
    [Description("Code length.")]
    [DefaultValue(64)]
    public int Bits { get; init; }

    [CommandOption("--queries <Q>")]
    [Description("Number of queries per measurement.")]
    [DefaultValue(100)]
    public int Queries { get; init; }

    [CommandOption("-k|--top-k <K>")]
    [Description("k of the k-NN measurements.")]
    [DefaultValue(10)]
    public int K { get; init; }

    [CommandOption("-r|--radius <R>")]
    [Description("Radius of the lookup measurements.")]
    [DefaultValue(3)]
    public int Radius { get; init; }

    [CommandOption("--uniform")]
    [Description("Uniform random codes (MIH's worst case) instead of clustered ones (10,000 centres, each bit flipped with probability 0.1).")]
    public bool Uniform { get; init; }

    [CommandOption("--seed <SEED>")]
    [DefaultValue(42)]
    public int Seed { get; init; }

    public override ValidationResult Validate()
    {
        if (Count < 1) return ValidationResult.Error($"--count must be at least 1, not {Count}.");
        if (Bits is < CodeLayout.MinBits or > CodeLayout.MaxBits) return ValidationResult.Error($"--bits must be in {CodeLayout.MinBits}..{CodeLayout.MaxBits}, not {Bits}.");
        if (Queries < 1) return ValidationResult.Error($"--queries must be at least 1, not {Queries}.");
        if (K < 1) return ValidationResult.Error($"--top-k must be at least 1, not {K}.");
        if (Radius < 0 || Radius > Bits) return ValidationResult.Error($"--radius must be in 0..{Bits}, not {Radius}.");
        return ValidationResult.Success();
    }
}

/// <summary><c>hamming bench</c>: throughput on this machine, measured side by side in one run.</summary>
internal sealed class BenchCommand(CliConsole console) : AsyncCommand<BenchSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, BenchSettings settings, CancellationToken cancellationToken)
    {
        var layout = new CodeLayout(settings.Bits);
        var rng = new Random(settings.Seed);
        console.Status.MarkupLine($"[grey]generating {settings.Count:N0} {(settings.Uniform ? "uniform" : "clustered")} {settings.Bits}-bit codes...[/]");
        int centres = Math.Clamp(settings.Count / 100, 1, 10_000);
        ulong[] codes = settings.Uniform
            ? SyntheticCodes.Uniform(layout, settings.Count, rng)
            : SyntheticCodes.Clustered(layout, settings.Count + settings.Queries, centres, 0.1, rng);
        ulong[] queries = codes.AsSpan(settings.Count * layout.WordsPerCode).ToArray();
        if (settings.Uniform) queries = SyntheticCodes.Uniform(layout, settings.Queries, rng);
        codes = codes.AsSpan(0, settings.Count * layout.WordsPerCode).ToArray();

        using CodeStore store = CodeStore.CreateInMemory(settings.Bits);
        store.AppendRange(codes, Enumerable.Range(0, settings.Count).Select(i => (long)i).ToArray());
        BenchReport report = Measure(settings, layout, store, codes, queries);
        report.Print(console.Ui);
        return Task.FromResult(0);
    }

    internal static BenchReport Measure(BenchSettings settings, CodeLayout layout, CodeStore store, ulong[] codes, ulong[] queries)
    {
        int words = layout.WordsPerCode;
        var report = new BenchReport(settings.Count, settings.Bits, settings.Uniform, HammingKernels.Resolve(KernelPath.Auto));
        var distances = new int[settings.Count];
        double bytes = (double)settings.Count * layout.BytesPerCode;
        foreach (KernelPath path in HammingKernels.SupportedPaths)
        {
            double seconds = Time(settings.Queries, q => HammingKernels.Distances(queries.AsSpan((q % (queries.Length / words)) * words, words), codes, distances, path));
            report.Kernels.Add((path, settings.Count / seconds, bytes / seconds / 1e9));
        }

        var scan = new ScanSearcher(store, new ScanOptions { MaxDegreeOfParallelism = 1 });
        int queryCount = queries.Length / words;
        double topk = Time(queryCount, q => scan.TopK(queries.AsSpan(q * words, words), settings.K));
        double radius = Time(queryCount, q => scan.WithinRadius(queries.AsSpan(q * words, words), settings.Radius));
        report.ScanTopKSeconds = topk;
        report.ScanRadiusSeconds = radius;
        var parallel = new ScanSearcher(store);
        report.BatchTopKSeconds = Time(1, _ => parallel.TopKBatch(queries, settings.K)) / queryCount;
        long buildStart = Stopwatch.GetTimestamp();
        var index = new MultiIndexHash(store);
        report.MihBuildSeconds = Stopwatch.GetElapsedTime(buildStart).TotalSeconds;
        report.MihBytesPerCode = index.TableBytesPerCode;
        report.MihSubstrings = index.SubstringCount;
        var front = new MultiIndexSearcher(index);
        int mihTopK = 0, mihRadius = 0;
        report.MihTopKSeconds = Time(queryCount, q => { if (front.TopK(queries.AsSpan(q * words, words), settings.K).Path == SearchPath.MultiIndex) mihTopK++; });
        report.MihRadiusSeconds = Time(queryCount, q => { if (front.WithinRadius(queries.AsSpan(q * words, words), settings.Radius).Path == SearchPath.MultiIndex) mihRadius++; });
        int mihBatch = 0;
        report.MihBatchTopKSeconds = Time(1, _ => mihBatch = front.TopKBatch(queries, settings.K).Count(r => r.Path == SearchPath.MultiIndex)) / queryCount;
        report.MihBatchTopKShare = mihBatch / (double)queryCount;
        report.MihTopKShare = mihTopK / (double)(queryCount + 1);
        report.MihRadiusShare = mihRadius / (double)(queryCount + 1);
        return report;
    }

    /// <summary>Seconds per call of <paramref name="action"/>, after one warm-up call, over at least <paramref name="calls"/> calls.</summary>
    private static double Time(int calls, Action<int> action)
    {
        action(0);
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++) action(i);
        return Stopwatch.GetElapsedTime(start).TotalSeconds / calls;
    }
}

/// <summary>What <c>hamming bench</c> measured.</summary>
internal sealed class BenchReport(int count, int bits, bool uniform, KernelPath autoPath)
{
    public int Count { get; } = count;
    public int Bits { get; } = bits;
    public bool UniformCodes { get; } = uniform;
    public KernelPath AutoPath { get; } = autoPath;
    public List<(KernelPath Path, double CodesPerSecond, double GigabytesPerSecond)> Kernels { get; } = [];
    public double ScanTopKSeconds { get; set; }
    public double ScanRadiusSeconds { get; set; }
    public double BatchTopKSeconds { get; set; }
    public double? MihTopKSeconds { get; set; }
    public double? MihRadiusSeconds { get; set; }
    public double? MihBatchTopKSeconds { get; set; }
    public double MihBatchTopKShare { get; set; }
    public double MihTopKShare { get; set; }
    public double MihRadiusShare { get; set; }
    public double MihBuildSeconds { get; set; }
    public double MihBytesPerCode { get; set; }
    public int MihSubstrings { get; set; }

    public void Print(IAnsiConsole console)
    {
        console.MarkupLine($"[bold]{Count:N0} {(UniformCodes ? "uniform" : "clustered")} {Bits}-bit codes[/]; CPU paths: {string.Join(", ", HammingKernels.SupportedPaths)}; auto = [bold]{AutoPath}[/]; {Environment.ProcessorCount} cores");
        var kernels = new Table().AddColumns("kernel path", "speed", "GB/s", "vs scalar");
        double scalar = Kernels.FirstOrDefault(k => k.Path == KernelPath.Scalar).CodesPerSecond;
        foreach (var k in Kernels)
            kernels.AddRow(k.Path.ToString(), HumanNumbers.Si(k.CodesPerSecond, "codes/s"), $"{k.GigabytesPerSecond:F2}", scalar > 0 ? $"{k.CodesPerSecond / scalar:F2}x" : "-");
        console.Write(kernels);
        var search = new Table().AddColumns("query (mean over queries)", "scan (1 core; batch: all)", "multi-index front door", "speed-up", "answered by MIH");
        search.AddRow("top-k", Micros(ScanTopKSeconds), Micros(MihTopKSeconds), Ratio(ScanTopKSeconds, MihTopKSeconds), $"{MihTopKShare:P0}");
        search.AddRow("within radius", Micros(ScanRadiusSeconds), Micros(MihRadiusSeconds), Ratio(ScanRadiusSeconds, MihRadiusSeconds), $"{MihRadiusShare:P0}");
        search.AddRow($"top-k, one batch on {Environment.ProcessorCount} cores", Micros(BatchTopKSeconds), Micros(MihBatchTopKSeconds), Ratio(BatchTopKSeconds, MihBatchTopKSeconds), $"{MihBatchTopKShare:P0}");
        console.Write(search);
        console.MarkupLine($"multi-index: m = {MihSubstrings} tables, built in {MihBuildSeconds:F2} s, {MihBytesPerCode:F1} bytes per code");
        console.MarkupLine($"scan: [bold]{HumanNumbers.Si(Count / ScanTopKSeconds, "codes/s")}[/] per query (top-k, one core)");
    }

    private static string Micros(double? seconds) => seconds is double s ? $"{s * 1e6:F1} µs" : "n/a";

    private static string Ratio(double scan, double? mih) => mih is double m && m > 0 ? $"{scan / m:F1}x" : "n/a";
}
