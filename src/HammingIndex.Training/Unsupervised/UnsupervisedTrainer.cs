using System.Diagnostics;
using HammingIndex.Training.Scratch;
using Microsoft.Extensions.Logging;

namespace HammingIndex.Training.Unsupervised;

/// <summary>
/// Unsupervised cross-modal hashing from similarity graphs (issue 15; docs/UNSUPERVISED.md): image
/// and text features only, no labels. Per modality a cosine kNN graph in anchor form, gated and
/// rebased with neighbours-of-neighbours (<see cref="AnchorGraph"/>); a fused cross-modal graph with
/// its second-order term, normalised (<see cref="FusedGraph"/>); its low-rank factor F takes the
/// place of the labels in SCRATCH, whose codes and kernel hash functions then preserve the graph.
/// Cost is linear in the number of pairs for fixed anchors; no n x n matrix is ever formed.
/// </summary>
public static class UnsupervisedTrainer
{
    /// <summary>Trains a model on paired rows: row i of <paramref name="image"/> and of <paramref name="text"/> describe pair i.</summary>
    /// <param name="image">Image features, one pair per row.</param>
    /// <param name="text">Text features, one pair per row.</param>
    /// <param name="options">Hyper-parameters; null means the defaults.</param>
    /// <param name="logger">Logs the graph summary and the SCRATCH objective per iteration.</param>
    /// <param name="cancellationToken">Checked between the steps and the SCRATCH iterations.</param>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> or <paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentException">No pairs, row counts that disagree, no columns, or a NaN or infinite value (named with row and column).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option out of range, or more graph or kernel anchors than training pairs.</exception>
    public static UnsupervisedTrainingResult Train(FeatureMatrix image, FeatureMatrix text, UnsupervisedOptions? options = null,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(text);
        options ??= new UnsupervisedOptions();
        options.Validate();
        int n = image.Rows;
        if (n == 0) throw new ArgumentException("No training pairs: image has 0 rows.", nameof(image));
        if (text.Rows != n) throw new ArgumentException($"text has {text.Rows} rows but image has {n}: rows are pairs and must agree.", nameof(text));
        if (image.Columns == 0) throw new ArgumentException("image has no columns.", nameof(image));
        if (text.Columns == 0) throw new ArgumentException("text has no columns.", nameof(text));
        if (options.GraphAnchors > n)
            throw new ArgumentOutOfRangeException(nameof(options), options.GraphAnchors, $"GraphAnchors ({options.GraphAnchors}) must not exceed the number of training pairs ({n}).");
        image.ThrowIfNotFinite(nameof(image));
        text.ThrowIfNotFinite(nameof(text));

        double[]? weightScores = null;
        if (options.SelectsImageWeight)
        {
            if (!HashFunctionSelection.CanSplit(n, options))
            {
                int held = (int)Math.Round(n * options.ValidationFraction);
                throw new ArgumentOutOfRangeException(nameof(options), options.ValidationFraction,
                    $"Choosing the image weight holds out {held} of {n} pairs; the other {n - held} must cover the graph and kernel anchors ({options.GraphAnchors}, {options.HashingOptions().Anchors}) and at least 2 must be held out.");
            }
            // The candidates are compared with the joint functions (the choice of the functions follows, for the chosen w).
            (double chosen, weightScores) = ImageWeightSelection.Choose(image, text, options with { Hashing = options.HashingOptions() with { HashFunctions = JointUnlessFixed(options) } },
                (x, y, o) => TrainWith(x, y, o, null, cancellationToken).Hashing.Model, cancellationToken);
            logger?.LogInformation("Image weight chosen without labels: w = {Chosen} (held-out partner MAP {Scores} for w = {Candidates})",
                chosen, string.Join(", ", weightScores.Select(v => v.ToString("F4", System.Globalization.CultureInfo.InvariantCulture))), string.Join(", ", options.ImageWeightCandidates!));
            options = options with { ImageWeight = chosen, ImageWeightCandidates = null };
        }

        (double Joint, double CodeRegression)? hashScores = null;
        if (options.HashingOptions().HashFunctions == ScratchHashFunctions.Validated)
        {
            ScratchHashFunctions kind = ScratchHashFunctions.Joint;
            if (HashFunctionSelection.CanSplit(n, options))
            {
                (kind, double joint, double regression) = HashFunctionSelection.Choose(image, text, options,
                    (x, y, o) => TrainWith(x, y, o, null, cancellationToken).Hashing.Model, cancellationToken);
                hashScores = (joint, regression);
                logger?.LogInformation("Hash functions chosen without labels: {Kind} (held-out partner MAP: joint {Joint:F4}, code regression {Regression:F4})", kind, joint, regression);
            }
            else logger?.LogInformation("Hash functions: joint ({Pairs} pairs are too few to hold out a validation split)", n);
            options = options with { Hashing = options.HashingOptions() with { HashFunctions = kind } };
        }
        UnsupervisedTrainingResult result = TrainWith(image, text, options, logger, cancellationToken);
        result.ImageWeightScores = weightScores;
        result.HashFunctionScores = hashScores;
        return result;
    }

    /// <summary>The fixed kind of the options, or joint while the kind is still to be chosen.</summary>
    private static ScratchHashFunctions JointUnlessFixed(UnsupervisedOptions options) =>
        options.HashingOptions().HashFunctions == ScratchHashFunctions.Validated ? ScratchHashFunctions.Joint : options.HashingOptions().HashFunctions;

    private static UnsupervisedTrainingResult TrainWith(FeatureMatrix image, FeatureMatrix text, UnsupervisedOptions options,
        ILogger? logger, CancellationToken cancellationToken)
    {
        int n = image.Rows;
        var clock = Stopwatch.StartNew();
        var seeds = new Random(options.Seed);
        int imageSeed = seeds.Next(), textSeed = seeds.Next();
        AnchorGraph imageGraph = AnchorGraph.Build(image, options, imageSeed);
        cancellationToken.ThrowIfCancellationRequested();
        AnchorGraph textGraph = AnchorGraph.Build(text, options, textSeed);
        cancellationToken.ThrowIfCancellationRequested();
        var fused = new FusedGraph(imageGraph, textGraph, options);
        int k = options.EffectiveEmbeddingDimensions;
        var (factor, eigenvalues) = fused.Embedding(k);
        TimeSpan graphTime = clock.Elapsed;
        logger?.LogInformation("Unsupervised graphs: {Pairs} pairs, {Anchors} anchors x 2, kept edges {ImageEdges} (image) and {TextEdges} (text) of {Candidates}; " +
            "embedding of {K} columns, eigenvalues {First:F3}..{Last:F3}; took {Ms:F0} ms",
            n, options.GraphAnchors, imageGraph.KeptEdges, textGraph.KeptEdges, (long)n * options.NearestAnchors, k, eigenvalues[0], eigenvalues[^1], graphTime.TotalMilliseconds);

        ScratchTrainingResult hashing = ScratchTrainer.Train(image, text, new FeatureMatrix(n, k, factor), options.HashingOptions(),
            logger: logger, cancellationToken: cancellationToken);
        return new UnsupervisedTrainingResult(hashing, imageGraph.KeptEdges, textGraph.KeptEdges, eigenvalues, graphTime, clock.Elapsed, options.ImageWeight);
    }
}
