using HammingIndex.Cli.Infrastructure;
using HammingIndex.Training;
using HammingIndex.Training.Unsupervised;
using Spectre.Console;

namespace HammingIndex.Cli.Commands;

/// <summary>
/// <c>hamming train</c> without labels: the graph trainer (<see cref="UnsupervisedTrainer"/>) on the
/// image and text files. The model is a SCRATCH model file (same hash-function form), so encode,
/// build, search and eval take it as they are; eval uses labels for scoring only.
/// </summary>
internal static class UnsupervisedTraining
{
    public static async Task<int> RunAsync(CliConsole console, TrainSettings settings, CancellationToken cancellationToken)
    {
        var options = new UnsupervisedOptions
        {
            Bits = settings.Bits,
            GraphAnchors = settings.GraphAnchors,
            ImageWeight = settings.ImageWeight,
            Seed = settings.Seed,
            Hashing = settings.ToOptions(),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliException($"bad training option: {e.Message}");
        }
        ModelFiles.CheckOutputs(settings.Out, settings.TrainCodes, settings.Overwrite);
        foreach (string path in new[] { settings.Images, settings.Texts })
            if (!File.Exists(path)) throw new CliException($"{path}: no such file.");
        FeatureMatrix images = await FeatureInput.ReadAllAsync(console, settings.Images, cancellationToken);
        FeatureMatrix texts = await FeatureInput.ReadAllAsync(console, settings.Texts, cancellationToken);
        if (images.Rows != texts.Rows)
            throw new CliException($"row counts disagree: {settings.Images} has {images.Rows}, {settings.Texts} has {texts.Rows} (row i of each describes training pair i).");
        if (options.GraphAnchors > images.Rows || options.Hashing.Anchors > images.Rows)
            throw new CliException($"{images.Rows} training pairs are fewer than the anchors (--graph-anchors {options.GraphAnchors}, --anchors {options.Hashing.Anchors}).");

        UnsupervisedTrainingResult result = await ProgressRunner.RunAsync(console, ctx =>
        {
            ProgressTask task = ctx.AddTask($"train unsupervised ({options.Bits} bits, {images.Rows:N0} pairs)", maxValue: 1);
            UnsupervisedTrainingResult trained = UnsupervisedTrainer.Train(images, texts, options, cancellationToken: cancellationToken);
            task.Value = task.MaxValue;
            return Task.FromResult(trained);
        });
        ModelFiles.Save(result.Model, settings.Out, result.TrainingCodes, settings.TrainCodes);
        console.Ui.MarkupLineInterpolated($"trained a {options.Bits}-bit unsupervised graph model (no labels) on {images.Rows:N0} pairs ({images.Columns}-d images, {texts.Columns}-d texts) in {result.Elapsed.TotalSeconds:F2} s (graphs {result.GraphTime.TotalSeconds:F2} s; kept edges {result.ImageEdges:N0} image, {result.TextEdges:N0} text)");
        if (result.HashFunctionScores is { } scores)
            console.Ui.MarkupLineInterpolated($"hash functions chosen without labels: {result.Model.HashFunctions} (held-out partner MAP: joint {scores.Joint:F4}, code regression {scores.CodeRegression:F4})");
        console.Ui.MarkupLineInterpolated($"model written to {settings.Out}");
        return 0;
    }
}
