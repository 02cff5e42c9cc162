using System.ComponentModel;
using System.Diagnostics;
using HammingIndex.Cli.Infrastructure;
using HammingIndex.Codes;
using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Storage;
using HammingIndex.Training.Datasets;
using HammingIndex.Training.Evaluation;
using HammingIndex.Training.Scratch;
using Spectre.Console;
using Spectre.Console.Cli;

namespace HammingIndex.Cli.Commands;

internal sealed class DemoSettings : CommonSettings
{
    [CommandOption("-b|--bits <BITS>")]
    [Description("Code length of the SCRATCH model.")]
    [DefaultValue(64)]
    public int Bits { get; init; }

    [CommandOption("-d|--data <DIR>")]
    [Description("The icons folder: the unpacked npm package @mdi/svg 7.4.47 (the folder holding package/meta.json). By default .data/mdi, found in $HAMMINGINDEX_DATA or above the current folder.")]
    public string? Data { get; init; }

    [CommandOption("--queries <N>")]
    [Description("Icons held out as queries (the fixed seeded split).")]
    [DefaultValue(IconsDataset.DefaultQueryCount)]
    public int Queries { get; init; }

    [CommandOption("--anchors <A>")]
    [Description("RBF kernel anchors per modality.")]
    [DefaultValue(500)]
    public int Anchors { get; init; }

    [CommandOption("-p|--plots <DIR>")]
    [Description("Folder for the PNG plots.")]
    [DefaultValue("demo-plots")]
    public string Plots { get; init; } = "demo-plots";

    [CommandOption("--engine-codes <N>")]
    [Description("Size of the synthetic clustered index of the core-engine figures.")]
    [DefaultValue(1_000_000)]
    public int EngineCodes { get; init; }

    [CommandOption("--seed <SEED>")]
    [DefaultValue(1)]
    public int Seed { get; init; }

    public override ValidationResult Validate()
    {
        if (Bits is < CodeLayout.MinBits or > CodeLayout.MaxBits) return ValidationResult.Error($"--bits must be in {CodeLayout.MinBits}..{CodeLayout.MaxBits}, not {Bits}.");
        if (EngineCodes < 1000) return ValidationResult.Error($"--engine-codes must be at least 1000, not {EngineCodes}.");
        return ValidationResult.Success();
    }
}

/// <summary>
/// <c>hamming demo</c>: the whole job on Material Design Icons — train SCRATCH, score it against
/// LSH (MAP table, plots), index the database codes in a store with multi-index tables, run
/// image->text queries through the scan and the multi-index; then the core-engine figures on a
/// larger synthetic index (codes/s of the scan, MIH speed-up).
/// </summary>
internal sealed class DemoCommand(CliConsole console) : AsyncCommand<DemoSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, DemoSettings settings, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        IAnsiConsole ui = console.Ui;
        CheckData(settings.Data);
        ui.Write(new Rule("[bold]HammingIndex demo: Material Design Icons[/]").LeftJustified());
        IconsDataset icons = await ProgressRunner.RunAsync(console, ctx =>
        {
            ProgressTask task = ctx.AddTask("load icons (rasterized once, then cached)").IsIndeterminate();
            IconsDataset loaded = IconsDataset.Load(settings.Data, queryCount: settings.Queries);
            task.IsIndeterminate(false);
            task.Value = task.MaxValue;
            return Task.FromResult(loaded);
        });
        CrossModalSplit train = icons.Train, test = icons.Test;
        ui.MarkupLineInterpolated($"{train.Count:N0} database/training icons, {test.Count:N0} queries; image = {train.Images.Columns} pixels, text = {train.Texts.Columns}-word bag of words, {icons.TagNames.Count} tags (relevant = shares a tag)");

        // 1. Learn: SCRATCH with the paper's defaults, LSH as the chance level.
        var options = new ScratchOptions { Bits = settings.Bits, Seed = settings.Seed, Anchors = settings.Anchors };
        ScratchTrainingResult trained = await TrainCommand.TrainAsync(console, train.Images, train.Texts, train.Labels, options, cancellationToken);
        ui.MarkupLineInterpolated($"trained {settings.Bits}-bit SCRATCH in {trained.Elapsed.TotalSeconds:F1} s ({options.Iterations} iterations, {options.Anchors} anchors)");
        var scratch = new CrossModalMethod.ScratchHasher(trained);
        ICrossModalHasher lsh = CrossModalMethod.Lsh.Train(train, settings.Bits, settings.Seed);
        EvaluationOutcome outcome = CrossModalEvaluation.Run([("SCRATCH", scratch), ("LSH", lsh)], train, test);
        CrossModalEvaluation.PrintTable(ui, $"Retrieval quality, {settings.Bits} bits ({test.Count:N0} queries, {train.Count:N0} database items: training codes (authors' protocol) and encoded database (what an index holds))", outcome.Results);
        IReadOnlyList<string> plots = CrossModalEvaluation.WritePlots(settings.Plots, "Material Design Icons", outcome, test.Labels, icons.TagNames, 600, settings.Seed);
        ui.MarkupLineInterpolated($"plots: {string.Join(", ", plots)}");

        // 2. Serve: the database codes in a store, image queries through the scan and the multi-index.
        using (CodeStore store = CodeStore.CreateInMemory(settings.Bits))
        {
            store.AppendRange(scratch.DatabaseTextCodes, Enumerable.Range(0, train.Count).Select(i => (long)i).ToArray());
            MultiIndexHash index = await BuildCommand.BuildIndexAsync(console, store);
            QueryTimes(ui, store, index, outcome.TestImageCodes, $"image->text queries over the {train.Count:N0} icon codes");
        }

        // 3. The core engine at scale: a synthetic clustered index.
        var layout = new CodeLayout(64);
        var rng = new Random(settings.Seed);
        int queries = 200;
        ulong[] all = SyntheticCodes.Clustered(layout, settings.EngineCodes + queries, Math.Clamp(settings.EngineCodes / 100, 1, 10_000), 0.1, rng);
        ulong[] engineCodes = all.AsSpan(0, settings.EngineCodes).ToArray();
        ulong[] engineQueries = all.AsSpan(settings.EngineCodes).ToArray();
        using (CodeStore big = CodeStore.CreateInMemory(64))
        {
            big.AppendRange(engineCodes, Enumerable.Range(0, settings.EngineCodes).Select(i => (long)i).ToArray());
            MultiIndexHash index = await BuildCommand.BuildIndexAsync(console, big);
            ui.MarkupLineInterpolated($"core engine: {settings.EngineCodes:N0} clustered 64-bit codes, multi-index m = {index.SubstringCount}, built in {index.BuildTime.TotalSeconds:F2} s, {index.TableBytesPerCode:F1} bytes per code");
            QueryTimes(ui, big, index, engineQueries, $"{queries} queries over {settings.EngineCodes:N0} synthetic codes");
        }
        ui.MarkupLineInterpolated($"demo finished in {total.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    /// <summary>The version of the npm package <c>@mdi/svg</c> the demo's figures are for.</summary>
    public const string IconsPackage = "@mdi/svg@7.4.47";

    /// <summary>
    /// Refuses, before any work, a run without the icons, with steps that work for someone who
    /// installed the tool (no repository needed: the icons are one npm package).
    /// </summary>
    private static void CheckData(string? data)
    {
        string marker = Path.Combine("package", "meta.json");
        if (data is null ? DataDirectory.Find(IconsDataset.Subdirectory, marker) is not null : File.Exists(Path.Combine(data, marker))) return;
        string where = data is null ? "no .data/mdi folder was found (looked in $HAMMINGINDEX_DATA and above the current folder)" : $"--data {data} holds no {marker}";
        throw new CliException($"the demo needs the Material Design Icons SVGs (npm package {IconsPackage}) and {where}. " +
            $"Get them with npm (no repository needed): 'mkdir mdi && cd mdi && npm pack {IconsPackage} && tar -xzf mdi-svg-*.tgz && cd ..', " +
            "then run 'hamming demo --data mdi'.");
    }

    /// <summary>Times top-10 and radius-2 queries through the scan and through the multi-index front door, side by side.</summary>
    private static void QueryTimes(IAnsiConsole ui, CodeStore store, MultiIndexHash index, ulong[] queries, string title)
    {
        int words = store.Layout.WordsPerCode, n = queries.Length / words;
        var scan = new ScanSearcher(store, new ScanOptions { MaxDegreeOfParallelism = 1 });
        var front = new MultiIndexSearcher(index);
        var table = new Table().Title(title).AddColumns("query", "scan (1 core)", "scan speed", "multi-index", "MIH speed-up", "answered by MIH", "same results");
        foreach (var (name, radius) in new[] { ("top-10", -1), ("within radius 2", 2) })
        {
            bool same = true;
            int viaMih = 0;
            double scanSeconds = Time(n, q =>
            {
                ReadOnlySpan<ulong> query = queries.AsSpan(q * words, words);
                _ = radius < 0 ? scan.TopK(query, 10) : scan.WithinRadius(query, radius);
            });
            double mihSeconds = Time(n, q =>
            {
                ReadOnlySpan<ulong> query = queries.AsSpan(q * words, words);
                SearchResult r = radius < 0 ? front.TopK(query, 10) : front.WithinRadius(query, radius);
                if (r.Path == SearchPath.MultiIndex) viaMih++;
            });
            for (int q = 0; q < n; q++)
            {
                ReadOnlySpan<ulong> query = queries.AsSpan(q * words, words);
                Neighbor[] a = radius < 0 ? scan.TopK(query, 10) : scan.WithinRadius(query, radius);
                Neighbor[] b = radius < 0 ? front.TopK(query, 10).Neighbors : front.WithinRadius(query, radius).Neighbors;
                same &= a.AsSpan().SequenceEqual(b);
            }
            table.AddRow(name, $"{scanSeconds * 1e6:F1} µs", HumanNumbers.Si(store.Count / scanSeconds, "codes/s"), $"{mihSeconds * 1e6:F1} µs",
                $"{scanSeconds / mihSeconds:F1}x", $"{viaMih / (double)(n + 1):P0}", same ? "yes" : "[red]NO[/]");
        }
        ui.Write(table);
    }

    private static double Time(int calls, Action<int> action)
    {
        action(0); // warm-up
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++) action(i);
        return Stopwatch.GetElapsedTime(start).TotalSeconds / calls;
    }
}
