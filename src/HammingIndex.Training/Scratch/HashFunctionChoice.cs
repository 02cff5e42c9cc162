using HammingIndex.Training.Evaluation;

namespace HammingIndex.Training.Scratch;

/// <summary>
/// How <see cref="ScratchHashFunctions.Validated"/> chose a model's hash functions: SCRATCH trained on
/// <see cref="FitRows"/> training rows with both kinds of hash functions, the other
/// <see cref="ValidationRows"/> training rows encoded as queries against the encoded fit rows, MAP
/// in both directions (relevant = shares a label). Code regression is <see cref="Chosen"/> only when it
/// ranks at least as well as the joint functions in both directions. The MAPs are NaN when the
/// training set was too small to split (fewer than <see cref="MinRows"/> rows; the joint functions
/// are then chosen).
/// </summary>
/// <param name="Chosen">The hash functions the model encodes with.</param>
/// <param name="FitRows">Training rows the validation model was trained on.</param>
/// <param name="ValidationRows">Training rows held out as validation queries.</param>
/// <param name="Joint">Validation MAP of the joint functions (I->T, T->I).</param>
/// <param name="CodeRegression">Validation MAP of the code-regression functions (I->T, T->I).</param>
public sealed record HashFunctionChoice(ScratchHashFunctions Chosen, int FitRows, int ValidationRows,
    (double ImageToText, double TextToImage) Joint, (double ImageToText, double TextToImage) CodeRegression)
{
    /// <summary>Share of the training rows held out for validation.</summary>
    public const double ValidationShare = 0.2;

    /// <summary>Fewest training rows that are split; below it the joint functions are kept.</summary>
    public const int MinRows = 10;

    /// <summary>
    /// The seeded split of <paramref name="rows"/> training rows: a permutation whose first
    /// round(n x <see cref="ValidationShare"/>) rows validate, the rest fit, each part in row order.
    /// </summary>
    internal static (int[] Fit, int[] Validation) Split(int rows, int seed)
    {
        var order = new int[rows];
        for (int i = 0; i < rows; i++) order[i] = i;
        new Random(seed).Shuffle(order);
        int validation = (int)Math.Round(rows * ValidationShare);
        int[] held = order[..validation], fit = order[validation..];
        Array.Sort(held);
        Array.Sort(fit);
        return (fit, held);
    }

    /// <summary>True when every label value is 0 or 1 (the labels validation ranks by).</summary>
    internal static bool IsIndicatorMatrix(FeatureMatrix labels)
    {
        foreach (double value in labels.Values) if (value is not (0 or 1)) return false;
        return true;
    }

    /// <summary>Chooses between the joint and the code-regression hash functions for training with <paramref name="options"/>; reads only the rows given.</summary>
    internal static HashFunctionChoice Choose(FeatureMatrix image, FeatureMatrix text, FeatureMatrix labels, ScratchOptions options, int seed,
        CancellationToken cancellationToken)
    {
        int n = image.Rows;
        if (n < MinRows) return new(ScratchHashFunctions.Joint, n, 0, (double.NaN, double.NaN), (double.NaN, double.NaN));
        var (fit, validation) = Split(n, seed);
        var fitOptions = options with
        {
            HashFunctions = ScratchHashFunctions.CodeRegression,
            Anchors = Math.Min(options.Anchors, fit.Length),
            HashAnchors = options.HashAnchors == 0 ? 0 : Math.Min(options.HashAnchors, fit.Length),
        };
        FeatureMatrix fitImages = image.SelectRows(fit), fitTexts = text.SelectRows(fit);
        ScratchTrainingResult trained = ScratchTrainer.Train(fitImages, fitTexts, labels.SelectRows(fit), fitOptions, cancellationToken: cancellationToken);
        FeatureMatrix validationImages = image.SelectRows(validation), validationTexts = text.SelectRows(validation);
        LabelSet all = LabelSet.FromIndicatorMatrix(labels), fitLabels = all.SelectRows(fit), validationLabels = all.SelectRows(validation);
        (double, double) Score(ScratchModel model)
        {
            int bits = model.Layout.Bits;
            double i2t = RetrievalMetrics.Evaluate(model.EncodeImages(validationImages), model.EncodeTexts(fitTexts), bits, validationLabels, fitLabels).Map;
            double t2i = RetrievalMetrics.Evaluate(model.EncodeTexts(validationTexts), model.EncodeImages(fitImages), bits, validationLabels, fitLabels).Map;
            return (i2t, t2i);
        }
        var regression = Score(trained.Model);
        var joint = Score(trained.Model.WithHashFunctions(ScratchHashFunctions.Joint));
        bool codeRegression = regression.Item1 >= joint.Item1 && regression.Item2 >= joint.Item2;
        return new(codeRegression ? ScratchHashFunctions.CodeRegression : ScratchHashFunctions.Joint, fit.Length, validation.Length, joint, regression);
    }
}
