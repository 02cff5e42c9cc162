using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.Unsupervised;

/// <summary>
/// Chooses the out-of-sample hash functions of an unsupervised model without labels (the default,
/// <see cref="ScratchHashFunctions.Validated"/> in <see cref="UnsupervisedOptions.Hashing"/>): the
/// same seeded held-out split as <see cref="ImageWeightSelection"/>, one model trained on the other
/// pairs with both kinds of functions (B is the same for both), and the kind whose codes find the
/// held-out items' own partners better (<see cref="ImageWeightSelection.PartnerMap"/>) is used;
/// ties go to the code regression. Supervised SCRATCH makes this choice by shared labels
/// (<see cref="HashFunctionChoice"/>); the pairing is what an unlabeled collection has instead.
/// </summary>
public static class HashFunctionSelection
{
    /// <summary>True when <paramref name="n"/> pairs can be split for the choice: the fit rows cover the graph and kernel anchors and at least 2 rows are held out.</summary>
    internal static bool CanSplit(int n, UnsupervisedOptions options)
    {
        int validation = (int)Math.Round(n * options.ValidationFraction);
        return n - validation >= Math.Max(options.GraphAnchors, options.HashingOptions().Anchors) && validation >= 2;
    }

    /// <summary>The chosen kind and the held-out partner MAP of each. <paramref name="train"/> trains one model on the fit rows.</summary>
    internal static (ScratchHashFunctions Chosen, double Joint, double CodeRegression) Choose(FeatureMatrix image, FeatureMatrix text, UnsupervisedOptions options,
        Func<FeatureMatrix, FeatureMatrix, UnsupervisedOptions, ScratchModel> train, CancellationToken cancellationToken)
    {
        var (fit, validation) = ImageWeightSelection.Split(image.Rows, options.ValidationFraction, options.Seed);
        int[] scored = ImageWeightSelection.Scored(validation, options.Seed);
        FeatureMatrix heldImage = image.SelectRows(scored), heldText = text.SelectRows(scored);
        ScratchModel regression = train(image.SelectRows(fit), text.SelectRows(fit), options with { Hashing = options.HashingOptions() with { HashFunctions = ScratchHashFunctions.CodeRegression } });
        cancellationToken.ThrowIfCancellationRequested();
        ScratchModel joint = regression.WithHashFunctions(ScratchHashFunctions.Joint);
        int bits = regression.Layout.Bits;
        double jointScore = ImageWeightSelection.PartnerMap(joint.EncodeImages(heldImage), joint.EncodeTexts(heldText), bits, options.MaxDegreeOfParallelism);
        double regressionScore = ImageWeightSelection.PartnerMap(regression.EncodeImages(heldImage), regression.EncodeTexts(heldText), bits, options.MaxDegreeOfParallelism);
        return (regressionScore >= jointScore ? ScratchHashFunctions.CodeRegression : ScratchHashFunctions.Joint, jointScore, regressionScore);
    }
}
