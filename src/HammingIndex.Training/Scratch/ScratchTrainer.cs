using System.Diagnostics;
using HammingIndex.Training.Kernelization;
using Microsoft.Extensions.Logging;

namespace HammingIndex.Training.Scratch;

/// <summary>
/// Trains SCRATCH (Li et al., ACM MM 2018) on paired image and text rows with their labels:
/// kernel features per modality (<see cref="RbfKernelMap"/>), then <see cref="ScratchOptions.Iterations"/>
/// rounds of the exact block updates B, Ux, Uy, G, Wx, Wy, V, R, streaming the samples
/// block by block so that memory holds no n x anchors matrix unless it fits
/// <see cref="ScratchOptions.KernelCacheBytes"/>.
/// </summary>
public static class ScratchTrainer
{
    /// <summary>Trains a model. Row i of <paramref name="image"/>, <paramref name="text"/> and <paramref name="labels"/> describe pair i.</summary>
    /// <param name="image">Image features, one pair per row.</param>
    /// <param name="text">Text features, one pair per row.</param>
    /// <param name="labels">Label indicators (0/1, several allowed per row), one pair per row.</param>
    /// <param name="options">Hyper-parameters; null means the defaults.</param>
    /// <param name="progress">Receives the objective after every iteration.</param>
    /// <param name="logger">Logs the objective per iteration and warnings (unlabeled rows).</param>
    /// <param name="cancellationToken">Checked between iterations.</param>
    /// <exception cref="ArgumentNullException"><paramref name="image"/>, <paramref name="text"/> or <paramref name="labels"/> is null.</exception>
    /// <exception cref="ArgumentException">Row counts that disagree, no rows or columns, a NaN or infinite value (named with row and column), or an all-zero label row when <see cref="ScratchOptions.AllowUnlabeledRows"/> is false.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option out of range, or more anchors than training pairs.</exception>
    public static ScratchTrainingResult Train(FeatureMatrix image, FeatureMatrix text, FeatureMatrix labels, ScratchOptions? options = null,
        IProgress<ScratchIterationReport>? progress = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(labels);
        options ??= new ScratchOptions();
        options.Validate();
        int n = image.Rows;
        if (n == 0) throw new ArgumentException("No training pairs: image has 0 rows.", nameof(image));
        if (text.Rows != n) throw new ArgumentException($"text has {text.Rows} rows but image has {n}: rows are pairs and must agree.", nameof(text));
        if (labels.Rows != n) throw new ArgumentException($"labels has {labels.Rows} rows but image has {n}: rows are pairs and must agree.", nameof(labels));
        if (image.Columns == 0) throw new ArgumentException("image has no columns.", nameof(image));
        if (text.Columns == 0) throw new ArgumentException("text has no columns.", nameof(text));
        if (labels.Columns == 0) throw new ArgumentException("labels has no columns.", nameof(labels));
        if (options.Anchors > n)
            throw new ArgumentOutOfRangeException(nameof(options), options.Anchors, $"Anchors ({options.Anchors}) must not exceed the number of training pairs ({n}).");
        image.ThrowIfNotFinite(nameof(image));
        text.ThrowIfNotFinite(nameof(text));
        labels.ThrowIfNotFinite(nameof(labels));
        CheckLabelRows(labels, options.AllowUnlabeledRows, logger);

        var clock = Stopwatch.StartNew();
        var seeds = new Random(options.Seed);
        int imageSeed = seeds.Next(), textSeed = seeds.Next(), initSeed = seeds.Next();
        var imageMap = RbfKernelMap.Fit(image, options.Anchors, imageSeed, options.AnchorSelection, options.KMeansIterations, options.MaxDegreeOfParallelism, nameof(image));
        var textMap = RbfKernelMap.Fit(text, options.Anchors, textSeed, options.AnchorSelection, options.KMeansIterations, options.MaxDegreeOfParallelism, nameof(text));
        var solver = new ScratchSolver(image, text, labels, imageMap, textMap, options, initSeed);
        logger?.LogInformation("SCRATCH: {Pairs} pairs, {Bits} bits, {Anchors} anchors, kernel features {Mode}; set-up took {Ms:F0} ms",
            n, options.Bits, options.Anchors, solver.CachesKernelFeatures ? "cached" : "streamed", clock.Elapsed.TotalMilliseconds);

        var objectives = new double[options.Iterations];
        for (int iteration = 0; iteration < options.Iterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            solver.RunIteration();
            objectives[iteration] = solver.Objective();
            logger?.LogInformation("SCRATCH iteration {Iteration}/{Iterations}: objective {Objective:G12} at {Ms:F0} ms",
                iteration + 1, options.Iterations, objectives[iteration], clock.Elapsed.TotalMilliseconds);
            progress?.Report(new ScratchIterationReport(iteration + 1, options.Iterations, objectives[iteration], clock.Elapsed));
        }

        CodeRegressionFit? imageFit = null, textFit = null;
        HashFunctionChoice? choice = null;
        if (options.HashFunctions == ScratchHashFunctions.Validated && !HashFunctionChoice.IsIndicatorMatrix(labels))
        {
            // Validation ranks by shared labels; real-valued targets (the unsupervised trainer's embedding) keep the joint functions.
            options = options with { HashFunctions = ScratchHashFunctions.Joint };
            logger?.LogInformation("SCRATCH: the labels are not 0/1 indicators, so the hash functions cannot be validated by shared labels: joint");
        }
        if (options.HashFunctions != ScratchHashFunctions.Joint)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int foldSeed = seeds.Next(), imageHashSeed = seeds.Next(), textHashSeed = seeds.Next(), splitSeed = seeds.Next();
            int hashAnchors = options.HashAnchorsFor(n);
            var imageHashMap = RbfKernelMap.Fit(image, hashAnchors, imageHashSeed, AnchorSelection.Random, 0, options.MaxDegreeOfParallelism, nameof(image));
            var textHashMap = RbfKernelMap.Fit(text, hashAnchors, textHashSeed, AnchorSelection.Random, 0, options.MaxDegreeOfParallelism, nameof(text));
            imageFit = CodeRegression.Fit(imageHashMap, image, solver.B, options.Bits, options.HashRidge, seed: foldSeed, maxDegreeOfParallelism: options.MaxDegreeOfParallelism);
            textFit = CodeRegression.Fit(textHashMap, text, solver.B, options.Bits, options.HashRidge, seed: foldSeed, maxDegreeOfParallelism: options.MaxDegreeOfParallelism);
            logger?.LogInformation("SCRATCH code-regression hash functions: {Anchors} anchors, ridge {ImageRidge:G3} (image), {TextRidge:G3} (text); held-out bit error {ImageError:P1} / {TextError:P1}; at {Ms:F0} ms",
                hashAnchors, imageFit.Ridge, textFit.Ridge, imageFit.HeldOutBitError.DefaultIfEmpty().Average(), textFit.HeldOutBitError.DefaultIfEmpty().Average(), clock.Elapsed.TotalMilliseconds);
            if (options.HashFunctions == ScratchHashFunctions.Validated)
            {
                choice = HashFunctionChoice.Choose(image, text, labels, options, splitSeed, cancellationToken);
                options = options with { HashFunctions = choice.Chosen };
                logger?.LogInformation("SCRATCH hash functions chosen on {Validation} validation rows: {Chosen} (validation MAP I->T / T->I: joint {J1:F3} / {J2:F3}, code regression {C1:F3} / {C2:F3}); at {Ms:F0} ms",
                    choice.ValidationRows, choice.Chosen, choice.Joint.ImageToText, choice.Joint.TextToImage, choice.CodeRegression.ImageToText, choice.CodeRegression.TextToImage, clock.Elapsed.TotalMilliseconds);
            }
        }
        var model = new ScratchModel(options, imageMap, textMap, solver.WxT, solver.WyT, solver.R, imageFit, textFit);
        var codes = new ulong[(long)n * model.Layout.WordsPerCode];
        CodePacking.PackSigns(solver.B, n, options.Bits, model.Layout, codes);
        return new ScratchTrainingResult(model, codes, objectives, clock.Elapsed, choice);
    }

    private static void CheckLabelRows(FeatureMatrix labels, bool allowUnlabeled, ILogger? logger)
    {
        int unlabeled = 0, first = -1;
        for (int i = 0; i < labels.Rows; i++)
        {
            if (labels.Row(i).ContainsAnyExcept(0.0)) continue;
            if (first < 0) first = i;
            unlabeled++;
        }
        if (unlabeled == 0) return;
        if (!allowUnlabeled)
            throw new ArgumentException($"labels row {first} is all zero ({unlabeled} such rows): every training pair needs a label, or set AllowUnlabeledRows.", nameof(labels));
        logger?.LogWarning("SCRATCH: {Count} training pairs have no label (first: row {Row}); they are kept", unlabeled, first);
    }
}
