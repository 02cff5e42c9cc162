using System.ComponentModel;
using HammingIndex.Cli.Infrastructure;
using HammingIndex.Training.Evaluation;
using HammingIndex.Training.IO;
using HammingIndex.Training.Scratch;
using Spectre.Console;
using Spectre.Console.Cli;

namespace HammingIndex.Cli.Commands;

internal sealed class EvalSettings : CommonSettings
{
    [CommandOption("-m|--model <PATH>")]
    [Description("(required) A model from 'hamming train'.")]
    public string Model { get; init; } = "";

    [CommandOption("-d|--data <DIR>")]
    [Description("A folder with I_tr, T_tr, L_tr (training = database) and I_te, T_te, L_te (queries), any supported extension.")]
    public string? Data { get; init; }

    [CommandOption("--train-images <PATH>")]
    [Description("Training (database) image features, instead of the I_tr file of --data (a path, or a name inside --data).")]
    public string? TrainImages { get; init; }

    [CommandOption("--train-texts <PATH>")]
    [Description("Training text features, instead of T_tr.")]
    public string? TrainTexts { get; init; }

    [CommandOption("--train-labels <PATH>")]
    [Description("Training labels, instead of L_tr.")]
    public string? TrainLabels { get; init; }

    [CommandOption("--test-images <PATH>")]
    [Description("Query image features, instead of I_te.")]
    public string? TestImages { get; init; }

    [CommandOption("--test-texts <PATH>")]
    [Description("Query text features, instead of T_te.")]
    public string? TestTexts { get; init; }

    [CommandOption("--test-labels <PATH>")]
    [Description("Query labels, instead of L_te.")]
    public string? TestLabels { get; init; }

    [CommandOption("--label-names <PATH>")]
    [Description("Names of the labels, one per line in column order (legend of the t-SNE plot).")]
    public string? LabelNames { get; init; }

    [CommandOption("--dataset <NAME>")]
    [Description("A known data set instead of --data: wiki (../shared/data/wiki), icons or segment (fetched by scripts/fetch-data.sh).")]
    public string? Dataset { get; init; }

    [CommandOption("--database-codes <PATH>")]
    [Description("The training codes B written by 'hamming train --train-codes' (raw .codes): adds the authors' protocol (database = B for both directions) beside the encoded database (each modality's hash codes of the training items), which is always scored.")]
    public string? DatabaseCodes { get; init; }

    [CommandOption("-p|--plots <DIR>")]
    [Description("Folder for the PNG plots: pr.png, precision_at_n.png, tsne.png.")]
    [DefaultValue("plots")]
    public string Plots { get; init; } = "plots";

    [CommandOption("--no-plots")]
    [Description("Print the table only.")]
    public bool NoPlots { get; init; }

    [CommandOption("--tsne-samples <N>")]
    [Description("Points of the t-SNE map (half test images, half their texts).")]
    [DefaultValue(600)]
    public int TsneSamples { get; init; }

    [CommandOption("--seed <SEED>")]
    [Description("Seed of the LSH baseline and the t-SNE sample.")]
    [DefaultValue(1)]
    public int Seed { get; init; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrEmpty(Model)) return ValidationResult.Error("--model is required.");
        if (TsneSamples is < 4 or > 5000) return ValidationResult.Error($"--tsne-samples must be in 4..5000, not {TsneSamples}.");
        return ValidationResult.Success();
    }
}

/// <summary><c>hamming eval</c>: the MAP / P@N / precision-within-radius-2 table for both directions, and plots.</summary>
internal sealed class EvalCommand(CliConsole console) : AsyncCommand<EvalSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, EvalSettings settings, CancellationToken cancellationToken)
    {
        ScratchModel model = ModelFiles.Load(settings.Model);
        DatasetSplits data = await DatasetInput.LoadAsync(console, settings.Data, settings.Dataset,
            [settings.TrainImages, settings.TrainTexts, settings.TrainLabels, settings.TestImages, settings.TestTexts, settings.TestLabels], settings.LabelNames, cancellationToken);
        ulong[]? trainingCodes = settings.DatabaseCodes is null ? null
            : await ModelFiles.ReadTrainingCodesAsync(model, settings.Model, settings.DatabaseCodes, cancellationToken);
        var scratch = new ModelHasher(model, data.Train, trainingCodes);
        ICrossModalHasher lsh = CrossModalMethod.Lsh.Train(data.Train, model.Bits, settings.Seed);
        EvaluationOutcome outcome = CrossModalEvaluation.Run([("SCRATCH", scratch), ("LSH", lsh)], data.Train, data.Test);
        string database = scratch.UsesTrainingCodes
            ? $"SCRATCH scored with both databases: {DatabaseProtocol.TrainingCodes.DisplayName()} and {DatabaseProtocol.EncodedDatabase.DisplayName()}"
            : $"SCRATCH database: {DatabaseProtocol.EncodedDatabase.DisplayName()} (give --database-codes for the authors' protocol beside it)";
        console.Ui.MarkupLineInterpolated($"{data.Name}: {model.Bits} bits, {data.Test.Count:N0} queries, {data.Train.Count:N0} database items; {database}; LSH: its own codes per modality");
        CrossModalEvaluation.PrintTable(console.Ui, "Cross-modal retrieval (relevant = shares a label)", outcome.Results);
        if (!settings.NoPlots)
        {
            IReadOnlyList<string> files = CrossModalEvaluation.WritePlots(settings.Plots, data.Name, outcome, data.Test.Labels, data.LabelNames, settings.TsneSamples, settings.Seed);
            console.Ui.MarkupLineInterpolated($"plots: {string.Join(", ", files)}");
        }
        return 0;
    }
}
