using HammingIndex.Training.Datasets;
using HammingIndex.Training.Evaluation;

namespace HammingIndex.Training.Scratch;

/// <summary>
/// A small grid search for SCRATCH: carve a validation split out of the training pairs (seeded),
/// train every setting on the rest, and score it with the field's protocol (database = the learned
/// codes of the remaining training pairs, queries = the validation pairs, MAP by Hamming ranking,
/// both directions, via <see cref="RetrievalMetrics"/>). The test set is never touched.
/// </summary>
public static class ScratchTuning
{
    /// <summary>Runs the grid search and returns one result per setting, in grid order.</summary>
    /// <param name="training">The training pairs (the validation split is taken from them).</param>
    /// <param name="grid">Values to try; null for <see cref="ScratchTuningGrid"/>'s defaults.</param>
    /// <param name="baseOptions">Everything the grid does not vary (bits, iterations, seed...); null for the defaults.</param>
    /// <param name="validationFraction">Share of the training pairs held out as queries, in (0, 1).</param>
    /// <param name="progress">Receives each result as soon as it is scored.</param>
    /// <exception cref="ArgumentOutOfRangeException">The fraction leaves no validation or no training pair, or a grid anchor count exceeds the remaining training pairs.</exception>
    public static IReadOnlyList<ScratchTuningResult> GridSearch(CrossModalSplit training, ScratchTuningGrid? grid = null, ScratchOptions? baseOptions = null,
        double validationFraction = 0.2, IProgress<ScratchTuningResult>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        grid ??= new ScratchTuningGrid();
        baseOptions ??= new ScratchOptions();
        var (fit, validation) = SplitForValidation(training.Count, validationFraction, baseOptions.Seed);
        CrossModalSplit fitSplit = training.SelectRows(fit), validationSplit = training.SelectRows(validation);
        foreach (int anchors in grid.Anchors)
        {
            if (anchors > fit.Length)
                throw new ArgumentOutOfRangeException(nameof(grid), anchors, $"Anchor count {anchors} exceeds the {fit.Length} training pairs left after the validation split.");
        }

        var results = new List<ScratchTuningResult>();
        var labels = fitSplit.Labels.ToIndicatorMatrix();
        foreach (ScratchOptions options in grid.Settings(baseOptions))
        {
            ScratchTrainingResult trained = ScratchTrainer.Train(fitSplit.Images, fitSplit.Texts, labels, options);
            int bits = trained.Model.Layout.Bits;
            double imageToText = RetrievalMetrics.Evaluate(trained.Model.EncodeImages(validationSplit.Images), trained.TrainingCodes, bits,
                validationSplit.Labels, fitSplit.Labels).Map;
            double textToImage = RetrievalMetrics.Evaluate(trained.Model.EncodeTexts(validationSplit.Texts), trained.TrainingCodes, bits,
                validationSplit.Labels, fitSplit.Labels).Map;
            var result = new ScratchTuningResult(options, imageToText, textToImage);
            results.Add(result);
            progress?.Report(result);
        }
        return results;
    }

    /// <summary>The result with the highest mean MAP (the first of equals).</summary>
    public static ScratchTuningResult Best(IReadOnlyList<ScratchTuningResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0) throw new ArgumentException("There are no results.", nameof(results));
        ScratchTuningResult best = results[0];
        foreach (var r in results)
            if (r.MeanMap > best.MeanMap) best = r;
        return best;
    }

    /// <summary>A seeded random partition of 0..count-1 into training rows and validation rows (both ascending).</summary>
    internal static (int[] Fit, int[] Validation) SplitForValidation(int count, double validationFraction, int seed)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must lie strictly between 0 and 1.");
        int validationCount = (int)Math.Round(count * validationFraction);
        if (validationCount < 1 || validationCount >= count)
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, $"A fraction of {validationFraction} of {count} pairs leaves no validation or no training pair.");
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        new Random(seed).Shuffle(order);
        int[] validation = order[..validationCount], fit = order[validationCount..];
        Array.Sort(validation);
        Array.Sort(fit);
        return (fit, validation);
    }
}
