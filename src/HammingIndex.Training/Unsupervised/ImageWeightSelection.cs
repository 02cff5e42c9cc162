using HammingIndex.Training.Evaluation;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.Unsupervised;

/// <summary>
/// Chooses the image weight w of the fused graph from the training pairs alone, without labels
/// (<see cref="UnsupervisedOptions.ImageWeightCandidates"/>): a seeded <see cref="UnsupervisedOptions.ValidationFraction"/>
/// of the pairs is held out, one model per candidate w is trained on the others, and each is scored
/// (on at most <see cref="MaxScoredPairs"/> of the held-out pairs)
/// by how well its codes find a held-out item's own partner across modalities: the MAP of
/// image → text and text → image retrieval among the held-out pairs, where the only relevant item of
/// a query is its partner. The pairing is the only supervision an unlabeled collection has; a graph
/// whose neighbourhoods one modality cannot reproduce from its own features, or whose codes do not
/// separate items, scores low. Ties go to the earlier candidate.
/// </summary>
public static class ImageWeightSelection
{
    /// <summary>The held-out split: (fit rows, validation rows), both ascending, from a shuffle seeded by <paramref name="seed"/>.</summary>
    internal static (int[] Fit, int[] Validation) Split(int n, double fraction, int seed)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        new Random(seed).Shuffle(order);
        int validation = (int)Math.Round(n * fraction);
        return (order[validation..].Order().ToArray(), order[..validation].Order().ToArray());
    }

    /// <summary>
    /// Most held-out pairs a choice scores: the partner MAP ranks every scored pair against every other
    /// (quadratic in their number), so a larger held-out split is subsampled, which keeps the choices
    /// linear in n.
    /// </summary>
    internal const int MaxScoredPairs = 2000;

    /// <summary>The held-out rows a choice scores: all of <paramref name="validation"/>, or a seeded subset of <see cref="MaxScoredPairs"/> of them (ascending).</summary>
    internal static int[] Scored(int[] validation, int seed)
    {
        if (validation.Length <= MaxScoredPairs) return validation;
        var order = (int[])validation.Clone();
        new Random(seed).Shuffle(order);
        return order[..MaxScoredPairs].Order().ToArray();
    }

    /// <summary>
    /// The candidate with the highest partner MAP, and the score of each candidate (in the order given).
    /// <paramref name="train"/> trains one model on the fit rows with a given w.
    /// </summary>
    internal static (double Chosen, double[] Scores) Choose(FeatureMatrix image, FeatureMatrix text, UnsupervisedOptions options,
        Func<FeatureMatrix, FeatureMatrix, UnsupervisedOptions, ScratchModel> train, CancellationToken cancellationToken)
    {
        var (fit, validation) = Split(image.Rows, options.ValidationFraction, options.Seed);
        validation = Scored(validation, options.Seed);
        FeatureMatrix fitImage = image.SelectRows(fit), fitText = text.SelectRows(fit);
        FeatureMatrix heldImage = image.SelectRows(validation), heldText = text.SelectRows(validation);
        IReadOnlyList<double> candidates = options.ImageWeightCandidates!;
        var scores = new double[candidates.Count];
        int best = 0;
        for (int c = 0; c < candidates.Count; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ScratchModel model = train(fitImage, fitText, options with { ImageWeight = candidates[c], ImageWeightCandidates = null });
            scores[c] = PartnerMap(model.EncodeImages(heldImage), model.EncodeTexts(heldText), model.Layout.Bits, options.MaxDegreeOfParallelism);
            if (scores[c] > scores[best]) best = c;
        }
        return (candidates[best], scores);
    }

    /// <summary>
    /// Mean of the image → text and text → image MAP over paired codes, where row i's only relevant
    /// item in the other modality is row i (the selection's score; label-free).
    /// </summary>
    /// <exception cref="ArgumentException">The code arrays are not whole codes of <paramref name="bits"/> bits, are empty, or differ in count.</exception>
    public static double PartnerMap(ulong[] imageCodes, ulong[] textCodes, int bits, int maxDegreeOfParallelism = 0)
    {
        var layout = new HammingIndex.Codes.CodeLayout(bits);
        int n = layout.ValidateCodes(imageCodes);
        if (layout.ValidateCodes(textCodes) != n) throw new ArgumentException($"{n} image codes but {layout.ValidateCodes(textCodes)} text codes: rows are pairs.", nameof(textCodes));
        var identity = new int[n];
        for (int i = 0; i < n; i++) identity[i] = i;
        LabelSet own = LabelSet.FromClasses(identity, n);
        var retrieval = new RetrievalOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : -1 };
        double imageToText = RetrievalMetrics.Evaluate(imageCodes, textCodes, bits, own, own, retrieval).Map;
        double textToImage = RetrievalMetrics.Evaluate(textCodes, imageCodes, bits, own, own, retrieval).Map;
        return (imageToText + textToImage) / 2;
    }
}
