using System.ComponentModel;
using System.Globalization;
using System.Text;
using HammingIndex.Cli.Infrastructure;
using HammingIndex.Storage;
using HammingIndex.Training;
using HammingIndex.Training.Datasets;
using HammingIndex.Training.Evaluation;
using HammingIndex.Training.Scratch;
using Spectre.Console;
using Spectre.Console.Cli;

namespace HammingIndex.Cli.Commands;

internal sealed class TuneSettings : OutputSettings
{
    [CommandOption("-i|--images <PATH>")]
    [Description("Image features of the training pairs (with --texts and --labels; or use --data / --dataset).")]
    public string? Images { get; init; }

    [CommandOption("-t|--texts <PATH>")]
    [Description("Text features of the training pairs, same row order as --images.")]
    public string? Texts { get; init; }

    [CommandOption("-l|--labels <PATH>")]
    [Description("Labels of the training pairs.")]
    public string? Labels { get; init; }

    [CommandOption("-d|--data <DIR>")]
    [Description("A folder in the Wiki layout (I_tr, T_tr, L_tr, ...): only the training files are used.")]
    public string? Data { get; init; }

    [CommandOption("--dataset <NAME>")]
    [Description("A known data set: wiki, icons or segment (only its training split is used).")]
    public string? Dataset { get; init; }

    [CommandOption("-o|--out <PATH>")]
    [Description("(required) The model file to write: the chosen setting trained on every training pair.")]
    public string Out { get; init; } = "";

    [CommandOption("--trials <PATH>")]
    [Description("Markdown table of every trial (default: the model path + .trials.md).")]
    public string? Trials { get; init; }

    [CommandOption("--train-codes <PATH>")]
    [Description("Also write the chosen model's learned training codes B (raw .codes, ids = rows): the database of 'hamming eval --database-codes'.")]
    public string? TrainCodes { get; init; }

    [CommandOption("-b|--bits <BITS>")]
    [Description("Code length r.")]
    [DefaultValue(64)]
    public int Bits { get; init; }

    [CommandOption("--budget <TIME>")]
    [Description("Wall-clock budget of the search: 300s, 5m, 1h or hh:mm:ss. The defaults' trial always runs.")]
    [DefaultValue("5m")]
    public string Budget { get; init; } = "5m";

    [CommandOption("--max-trials <N>")]
    [Description("Stop after N trials (including the defaults); 0 = only the budget limits.")]
    [DefaultValue(0)]
    public int MaxTrials { get; init; }

    [CommandOption("--protocol <NAME>")]
    [Description("What the validation database holds: training-codes (the authors' protocol) or encoded (the hash codes of the fit rows: what an index holds).")]
    [DefaultValue("training-codes")]
    public string Protocol { get; init; } = "training-codes";

    [CommandOption("--code-regression")]
    [Description("Also try the code-regression hash functions (each such trial cross-validates its ridge: several trainings' worth of time).")]
    public bool CodeRegression { get; init; }

    [CommandOption("--validation <FRACTION>")]
    [Description("Share of the training pairs held out as validation queries.")]
    [DefaultValue(0.2)]
    public double Validation { get; init; }

    [CommandOption("--seed <SEED>")]
    [Description("Seed of the split, the draws and the models.")]
    [DefaultValue(0)]
    public int Seed { get; init; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrEmpty(Out)) return ValidationResult.Error("--out is required.");
        bool files = Images is not null || Texts is not null || Labels is not null;
        if (files && (Images is null || Texts is null || Labels is null)) return ValidationResult.Error("--images, --texts and --labels go together.");
        int sources = (files ? 1 : 0) + (Data is not null ? 1 : 0) + (Dataset is not null ? 1 : 0);
        if (sources != 1) return ValidationResult.Error("give exactly one of --images/--texts/--labels, --data or --dataset.");
        if (ParseBudget(Budget) is null) return ValidationResult.Error($"--budget '{Budget}' is not a duration (300s, 5m, 1h or hh:mm:ss).");
        if (ParseProtocol(Protocol) is null) return ValidationResult.Error($"--protocol must be training-codes or encoded, not '{Protocol}'.");
        if (MaxTrials < 0) return ValidationResult.Error($"--max-trials must not be negative, not {MaxTrials}.");
        if (!(Validation > 0 && Validation < 1)) return ValidationResult.Error($"--validation must lie strictly between 0 and 1, not {Validation}.");
        return ValidationResult.Success();
    }

    public static TimeSpan? ParseBudget(string text)
    {
        text = text.Trim();
        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && double.IsFinite(value))
        {
            switch (text[^1])
            {
                case 's': return TimeSpan.FromSeconds(value);
                case 'm': return TimeSpan.FromMinutes(value);
                case 'h': return TimeSpan.FromHours(value);
            }
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan span) && span > TimeSpan.Zero ? span : null;
    }

    public static DatabaseProtocol? ParseProtocol(string text) => text.Trim().ToLowerInvariant() switch
    {
        "training-codes" or "training" or "authors" => DatabaseProtocol.TrainingCodes,
        "encoded" or "encoded-database" => DatabaseProtocol.EncodedDatabase,
        _ => null,
    };
}

/// <summary>
/// <c>hamming tune</c>: budgeted random search of SCRATCH's settings on a seeded validation split of
/// the training pairs (<see cref="ScratchTuning.Search"/>); writes the chosen model, trained on every
/// training pair, and a table of every trial.
/// </summary>
internal sealed class TuneCommand(CliConsole console) : AsyncCommand<TuneSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TuneSettings settings, CancellationToken cancellationToken)
    {
        ModelFiles.CheckOutputs(settings.Out, settings.TrainCodes, settings.Overwrite); // every output refused before hours of tuning, not after
        string trialsPath = settings.Trials ?? settings.Out + ".trials.md";
        OutputPaths.Check(trialsPath, "--trials", settings.Overwrite);
        CrossModalSplit training;
        string name;
        if (settings.Images is not null)
        {
            var (images, texts, labels) = await TrainCommand.ReadInputsAsync(console, settings.Images, settings.Texts!, settings.Labels!, cancellationToken);
            training = new CrossModalSplit(images, texts, labels);
            name = Path.GetFileName(settings.Images);
        }
        else
        {
            DatasetSplits data = await DatasetInput.LoadAsync(console, settings.Data, settings.Dataset, cancellationToken);
            training = data.Train;
            name = data.Name;
        }
        var baseOptions = new ScratchOptions { Bits = settings.Bits, Seed = settings.Seed };
        try
        {
            baseOptions.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliException($"bad training option: {e.Message}");
        }
        var tuning = new ScratchTuningOptions
        {
            Budget = TuneSettings.ParseBudget(settings.Budget)!.Value,
            MaxTrials = settings.MaxTrials,
            Protocol = TuneSettings.ParseProtocol(settings.Protocol)!.Value,
            ValidationFraction = settings.Validation,
            Seed = settings.Seed,
            Space = new ScratchSearchSpace { CodeRegression = settings.CodeRegression },
        };
        console.Ui.MarkupLineInterpolated($"tuning {settings.Bits}-bit SCRATCH on {name}: {training.Count:N0} training pairs, {tuning.ValidationFraction:P0} held out as validation queries, scored on the {tuning.Protocol.DisplayName()}, budget {tuning.Budget}");

        ScratchSearchResult result;
        try
        {
            result = await ProgressRunner.RunAsync(console, ctx =>
            {
                ProgressTask task = ctx.AddTask("search", maxValue: tuning.Budget.TotalSeconds);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                double best = double.NegativeInfinity;
                var progress = new SyncProgress<ScratchTrial>(t =>
                {
                    best = Math.Max(best, t.MeanMap);
                    task.Value = Math.Min(task.MaxValue, clock.Elapsed.TotalSeconds);
                    task.Description = $"search: trial {t.Number} ({t.Phase}) mean MAP {t.MeanMap:F4}, best {best:F4}";
                });
                ScratchSearchResult found = ScratchTuning.Search(training, baseOptions, tuning, progress, cancellationToken);
                task.Value = task.MaxValue;
                return Task.FromResult(found);
            });
        }
        catch (ArgumentException e)
        {
            throw new CliException($"cannot tune: {e.Message}");
        }

        string table = TrialTable(result, name, settings);
        AtomicFile.Write(trialsPath, stream => stream.Write(Encoding.UTF8.GetBytes(table)));
        PrintSummary(result);

        // The chosen setting on every training pair.
        ScratchTrainingResult final = await TrainCommand.TrainAsync(console, training.Images, training.Texts, training.Labels, result.ModelOptions, cancellationToken);
        ModelFiles.Save(final.Model, settings.Out, final.TrainingCodes, settings.TrainCodes);
        console.Ui.MarkupLineInterpolated($"model written to {settings.Out}; every trial in {trialsPath}");
        return 0;
    }

    private void PrintSummary(ScratchSearchResult result)
    {
        ScratchTrial best = result.Best, defaults = result.Defaults;
        var table = new Table().Title("hamming tune: validation MAP").AddColumns("trial", "mu", "alpha", "gamma", "lambda", "anchors", "iterations", "hash", "I->T", "T->I", "mean");
        foreach (ScratchTrial t in new[] { defaults, best }.Distinct())
            table.AddRow(TrialCells(t).Select(Markup.Escape).ToArray());
        console.Ui.Write(table);
        console.Ui.MarkupLineInterpolated($"{result.Trials.Count} trials{(result.Cancelled ? " (cancelled)" : "")}; chosen: trial {best.Number}, mean validation MAP {best.MeanMap:F4} vs defaults {defaults.MeanMap:F4} ({best.MeanMap - defaults.MeanMap:+0.0000;-0.0000})");
        if (result.ModelOptions.HashFunctions != best.Options.HashFunctions)
            console.Ui.MarkupLineInterpolated($"the model: trial {best.Number}'s setting on every training pair with the {HashName(result.ModelOptions)} hash functions (the trials scored the {HashName(best.Options)} ones)");
        foreach (string warning in result.EdgeWarnings) console.Ui.MarkupLineInterpolated($"[yellow]edge:[/] {warning}");
    }

    private static string[] TrialCells(ScratchTrial t)
    {
        var c = CultureInfo.InvariantCulture;
        ScratchOptions o = t.Options;
        return [string.Create(c, $"{t.Number} ({t.Phase})"), o.Mu.ToString("G3", c), o.Alpha.ToString("G3", c), o.Gamma.ToString("G3", c), o.LambdaX.ToString("F2", c),
            o.Anchors.ToString(c), o.Iterations.ToString(c), HashName(o), t.MapImageToText.ToString("F4", c), t.MapTextToImage.ToString("F4", c), t.MeanMap.ToString("F4", c)];
    }

    private static string HashName(ScratchOptions o) => o.HashFunctions switch
    {
        ScratchHashFunctions.Joint => "joint",
        ScratchHashFunctions.Validated => "validated",
        _ => o.HashRidge == 0 ? "code regression (cv)" : string.Create(CultureInfo.InvariantCulture, $"code regression {o.HashRidge:G2}"),
    };

    /// <summary>Every trial as a Markdown table, best first, with the command's settings and the edge warnings.</summary>
    internal static string TrialTable(ScratchSearchResult result, string name, TuneSettings settings)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"hamming tune on {name}: {settings.Bits} bits, budget {settings.Budget}, validation {settings.Validation:P0} of the training pairs ({result.ValidationRows.Length} queries, {result.FitRows.Length} fit rows), seed {settings.Seed}, scored on the {result.Best.Protocol.DisplayName()}.");
        sb.AppendLine(c, $"{result.Trials.Count} trials{(result.Cancelled ? " (cancelled)" : "")}; chosen: trial {result.Best.Number} (mean {result.Best.MeanMap:F4}; defaults {result.Defaults.MeanMap:F4}).");
        if (result.ModelOptions.HashFunctions != result.Best.Options.HashFunctions)
            sb.AppendLine(c, $"The model is the chosen setting trained on every training pair with the {HashName(result.ModelOptions)} hash functions (the trials scored the {HashName(result.Best.Options)} ones).");
        foreach (string warning in result.EdgeWarnings) sb.AppendLine(c, $"Edge: {warning}");
        sb.AppendLine();
        sb.AppendLine("| trial | mu | alpha | gamma | lambda | anchors | iterations | hash functions | I->T | T->I | mean | seconds |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (ScratchTrial t in result.Trials.OrderByDescending(t => t.MeanMap).ThenBy(t => t.Number))
        {
            string[] cells = TrialCells(t);
            if (t == result.Best) cells[0] += " **chosen**";
            sb.AppendLine(c, $"| {string.Join(" | ", cells)} | {t.Elapsed.TotalSeconds:F1} |");
        }
        return sb.ToString();
    }
}
