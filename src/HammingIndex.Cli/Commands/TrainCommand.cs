using System.ComponentModel;
using HammingIndex.Cli.Infrastructure;
using HammingIndex.Training;
using HammingIndex.Training.Evaluation;
using HammingIndex.Training.IO;
using HammingIndex.Training.Kernelization;
using HammingIndex.Training.Scratch;
using Spectre.Console;
using Spectre.Console.Cli;

namespace HammingIndex.Cli.Commands;

internal sealed class TrainSettings : OutputSettings
{
    [CommandOption("-i|--images <PATH>")]
    [Description("(required) Image features, one training pair per row (.npy, .fvecs, .bvecs, .csv, .tsv).")]
    public string Images { get; init; } = "";

    [CommandOption("-t|--texts <PATH>")]
    [Description("(required) Text features, one training pair per row, same row order as --images.")]
    public string Texts { get; init; } = "";

    [CommandOption("-l|--labels <PATH>")]
    [Description("Labels per pair: a 0/1 indicator matrix (multi-label allowed), or one column of class numbers 0..c-1. Without it, train learns unsupervised from similarity graphs.")]
    public string Labels { get; init; } = "";

    [CommandOption("-o|--out <PATH>")]
    [Description("(required) The model file to write.")]
    public string Out { get; init; } = "";

    [CommandOption("--train-codes <PATH>")]
    [Description("Also write the learned training codes B (raw .codes, one per pair, ids = rows): the database of the authors' evaluation ('hamming eval --database-codes').")]
    public string? TrainCodes { get; init; }

    [CommandOption("-b|--bits <BITS>")]
    [Description("Code length r (the paper uses 16, 32, 64, 128).")]
    [DefaultValue(64)]
    public int Bits { get; init; }

    [CommandOption("--anchors <A>")]
    [Description("RBF kernel anchors per modality.")]
    [DefaultValue(500)]
    public int Anchors { get; init; }

    [CommandOption("--kmeans-anchors")]
    [Description("Take k-means centres as anchors instead of random training rows.")]
    public bool KMeansAnchors { get; init; }

    [CommandOption("--lambda <LX>")]
    [Description("Weight lambda_x of the image factorization (the text side gets 1 - lambda_x).")]
    [DefaultValue(0.5)]
    public double Lambda { get; init; }

    [CommandOption("--alpha <ALPHA>")]
    [Description("Weight of the label factorization (the authors advise 10 for high-dimensional features).")]
    [DefaultValue(500.0)]
    public double Alpha { get; init; }

    [CommandOption("--mu <MU>")]
    [Description("Weight of the linear hash functions (the authors advise 100 for high-dimensional features).")]
    [DefaultValue(1000.0)]
    public double Mu { get; init; }

    [CommandOption("--gamma <GAMMA>")]
    [Description("Ridge regularization.")]
    [DefaultValue(5.0)]
    public double Gamma { get; init; }

    [CommandOption("--iterations <N>")]
    [Description("Alternating-optimization iterations.")]
    [DefaultValue(20)]
    public int Iterations { get; init; }

    [CommandOption("--seed <SEED>")]
    [Description("Seed of anchors and initialization (training is reproducible).")]
    [DefaultValue(0)]
    public int Seed { get; init; }

    [CommandOption("--hash-functions <KIND>")]
    [Description("Out-of-sample hash functions: validated (the default: whichever of the two below ranks better in both directions on a validation split of the training rows; without labels, whichever finds held-out pairs' partners better; trains about twice as long), joint (the authors' sign(R W phi)) or code-regression (per-bit kernel ridge fitted to the learned codes; see docs/QUALITY.md).")]
    [DefaultValue("validated")]
    public string HashFunctions { get; init; } = "validated";

    [CommandOption("--hash-anchors <N>")]
    [Description("Kernel anchors of the code-regression hash functions; 0 = min(training pairs, max(--anchors, 1000)).")]
    [DefaultValue(0)]
    public int HashAnchors { get; init; }

    [CommandOption("--hash-ridge <RIDGE>")]
    [Description("Relative ridge of the code-regression hash functions; 0 = chosen by cross-validation.")]
    [DefaultValue(0.0)]
    public double HashRidge { get; init; }

    [CommandOption("--unsupervised")]
    [Description("Train without labels from similarity graphs (docs/UNSUPERVISED.md); the default when --labels is not given. Same model file as SCRATCH.")]
    public bool Unsupervised { get; init; }

    [CommandOption("--image-weight <W>")]
    [Description("Unsupervised only: weight w of the image graph in the fused graph (the text graph gets 1 - w).")]
    [DefaultValue(0.5)]
    public double ImageWeight { get; init; }

    [CommandOption("--graph-anchors <M>")]
    [Description("Unsupervised only: graph anchors per modality.")]
    [DefaultValue(300)]
    public int GraphAnchors { get; init; }

    /// <summary>True when training runs without labels (--unsupervised, or no --labels).</summary>
    public bool IsUnsupervised => Unsupervised || string.IsNullOrEmpty(Labels);

    [CommandOption("--allow-unlabeled")]
    [Description("Accept pairs whose label row is all zeros (refused by default).")]
    public bool AllowUnlabeled { get; init; }

    public override ValidationResult Validate()
    {
        foreach (var (name, value) in new[] { ("--images", Images), ("--texts", Texts), ("--out", Out) })
            if (string.IsNullOrEmpty(value)) return ValidationResult.Error($"{name} is required.");
        if (ParseHashFunctions(HashFunctions) is null) return ValidationResult.Error($"--hash-functions must be validated, joint or code-regression, not '{HashFunctions}'.");
        if (Unsupervised && !string.IsNullOrEmpty(Labels)) return ValidationResult.Error("--unsupervised trains without labels: drop --labels (labels only score a model, in 'hamming eval').");
        return ValidationResult.Success();
    }

    public ScratchOptions ToOptions() => new()
    {
        Bits = Bits,
        Anchors = Anchors,
        AnchorSelection = KMeansAnchors ? AnchorSelection.KMeans : AnchorSelection.Random,
        LambdaX = Lambda,
        Alpha = Alpha,
        Mu = Mu,
        Gamma = Gamma,
        Iterations = Iterations,
        Seed = Seed,
        AllowUnlabeledRows = AllowUnlabeled,
        HashFunctions = ParseHashFunctions(HashFunctions) ?? ScratchHashFunctions.Validated,
        HashRidge = HashRidge,
        HashAnchors = HashAnchors,
    };

    public static ScratchHashFunctions? ParseHashFunctions(string text) => text.Trim().ToLowerInvariant() switch
    {
        "validated" => ScratchHashFunctions.Validated,
        "joint" => ScratchHashFunctions.Joint,
        "code-regression" or "coderegression" => ScratchHashFunctions.CodeRegression,
        _ => null,
    };
}

/// <summary><c>hamming train</c>: SCRATCH from two modalities and labels, with a progress bar over the iterations; without labels, the unsupervised graph trainer (<see cref="UnsupervisedTraining"/>).</summary>
internal sealed class TrainCommand(CliConsole console) : AsyncCommand<TrainSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        if (settings.IsUnsupervised) return await UnsupervisedTraining.RunAsync(console, settings, cancellationToken);
        ScratchOptions options = settings.ToOptions();
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliException($"bad training option: {e.Message}");
        }
        ModelFiles.CheckOutputs(settings.Out, settings.TrainCodes, settings.Overwrite);
        (FeatureMatrix images, FeatureMatrix texts, LabelSet labels) = await ReadInputsAsync(console, settings.Images, settings.Texts, settings.Labels, cancellationToken);
        ScratchTrainingResult result = await TrainAsync(console, images, texts, labels, options, cancellationToken);
        ModelFiles.Save(result.Model, settings.Out, result.TrainingCodes, settings.TrainCodes);
        console.Ui.MarkupLineInterpolated($"trained a {options.Bits}-bit SCRATCH model on {images.Rows:N0} pairs ({images.Columns}-d images, {texts.Columns}-d texts, {labels.LabelCount} labels) in {result.Elapsed.TotalSeconds:F2} s; objective {result.Objectives[0]:E4} -> {result.Objectives[^1]:E4}");
        console.Ui.MarkupLineInterpolated($"model written to {settings.Out}");
        return 0;
    }

    /// <summary>Reads the three training files (with a progress display) and checks that their row counts agree.</summary>
    public static async Task<(FeatureMatrix Images, FeatureMatrix Texts, LabelSet Labels)> ReadInputsAsync(CliConsole console, string imagesPath, string textsPath, string labelsPath, CancellationToken cancellationToken)
    {
        foreach (string path in new[] { imagesPath, textsPath, labelsPath })
            if (!File.Exists(path)) throw new CliException($"{path}: no such file.");
        FeatureMatrix images = await FeatureInput.ReadAllAsync(console, imagesPath, cancellationToken);
        FeatureMatrix texts = await FeatureInput.ReadAllAsync(console, textsPath, cancellationToken);
        LabelSet labels = await LabelFiles.ReadAsync(labelsPath, cancellationToken);
        if (images.Rows != texts.Rows || images.Rows != labels.Count)
            throw new CliException($"row counts disagree: {imagesPath} has {images.Rows}, {textsPath} has {texts.Rows}, {labelsPath} has {labels.Count} (row i of each describes training pair i).");
        return (images, texts, labels);
    }

    public static Task<ScratchTrainingResult> TrainAsync(CliConsole console, FeatureMatrix images, FeatureMatrix texts, LabelSet labels, ScratchOptions options, CancellationToken cancellationToken) =>
        ProgressRunner.RunAsync(console, ctx =>
        {
            ProgressTask task = ctx.AddTask($"train SCRATCH ({options.Bits} bits, {images.Rows:N0} pairs)", maxValue: options.Iterations);
            var progress = new SyncProgress<ScratchIterationReport>(r =>
            {
                task.Value = r.Iteration;
                task.Description = $"train SCRATCH ({options.Bits} bits): iteration {r.Iteration}/{r.Iterations}, objective {r.Objective:E3}";
            });
            ScratchTrainingResult result = ScratchTrainer.Train(images, texts, labels.ToIndicatorMatrix(), options, progress, cancellationToken: cancellationToken);
            task.Value = task.MaxValue;
            return Task.FromResult(result);
        });
}
