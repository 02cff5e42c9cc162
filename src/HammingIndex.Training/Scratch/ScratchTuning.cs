using HammingIndex.Training.Datasets;
using HammingIndex.Training.Evaluation;

namespace HammingIndex.Training.Scratch;

/// <summary>
/// Hyper-parameter search for SCRATCH: carve a seeded validation split out of the training pairs,
/// train every setting on the rest, and score it by MAP of the validation pairs as queries against
/// the remaining pairs as database (both directions, <see cref="RetrievalMetrics"/>), the database
/// holding either the learned codes (the authors' protocol) or the hash codes of the fit rows. The
/// test set is never touched. <see cref="Search"/> is a budgeted random search with a local phase;
/// <see cref="GridSearch"/> tries a fixed grid.
/// </summary>
public static class ScratchTuning
{
    /// <summary>
    /// Random search under a time budget: trial 0 is <paramref name="baseOptions"/> (the defaults);
    /// then settings drawn from <see cref="ScratchTuningOptions.Space"/> (log-uniform where the range
    /// is multiplicative) for <see cref="ScratchTuningOptions.ExploreShare"/> of the budget, then
    /// log-normal perturbations of the best so far. The chosen setting is the best by mean validation
    /// MAP, but the defaults stay chosen unless beaten by <see cref="ScratchTuningOptions.MinimumGain"/>:
    /// the search never returns a setting that scored below the defaults on validation.
    /// <para>
    /// When the base options ask for <see cref="ScratchHashFunctions.Validated"/> hash functions (the
    /// default), every trial — the defaults' included — trains and scores with the authors' joint
    /// functions instead: the validated choice holds out rows of its own and trains twice, which
    /// would halve the trials and score the defaults with other functions than the drawn settings.
    /// The functions are chosen for the final model only: <see cref="ScratchSearchResult.ModelOptions"/>
    /// is the chosen setting with <see cref="ScratchHashFunctions.Validated"/> restored.
    /// </para>
    /// </summary>
    /// <param name="training">The training pairs (the validation split is taken from them).</param>
    /// <param name="baseOptions">Bits, seed and everything not searched; its values are trial 0. Null for the defaults.</param>
    /// <param name="tuning">Budget, split, protocol and ranges; null for the defaults.</param>
    /// <param name="progress">Receives each trial as soon as it is scored.</param>
    /// <param name="cancellationToken">Stops the search between trials (and inside training); the trials so far are returned, the defaults' trial always completes. A trial still running when the budget ends is stopped the same way and left out.</param>
    /// <exception cref="ArgumentOutOfRangeException">The fraction leaves no validation or no training pair, or a range is invalid.</exception>
    public static ScratchSearchResult Search(CrossModalSplit training, ScratchOptions? baseOptions = null, ScratchTuningOptions? tuning = null,
        IProgress<ScratchTrial>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        baseOptions ??= new ScratchOptions();
        tuning ??= new ScratchTuningOptions();
        baseOptions.Validate();
        tuning.Space.Validate();
        var (fit, validation) = SplitForValidation(training.Count, tuning.ValidationFraction, tuning.Seed);
        CrossModalSplit fitSplit = training.SelectRows(fit), validationSplit = training.SelectRows(validation);
        var defaults = baseOptions with { Anchors = Math.Min(baseOptions.Anchors, fit.Length) };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var trials = new List<ScratchTrial>();
        ScratchTrial Run(ScratchOptions options, string phase, CancellationToken token)
        {
            var trialClock = System.Diagnostics.Stopwatch.StartNew();
            var (i2t, t2i) = Score(fitSplit, validationSplit, options, tuning.Protocol, token);
            var trial = new ScratchTrial(trials.Count, options, tuning.Protocol, i2t, t2i, trialClock.Elapsed, phase);
            trials.Add(trial);
            progress?.Report(trial);
            return trial;
        }

        ScratchTrial best = Run(FixedHashFunctions(defaults), "defaults", CancellationToken.None);
        var random = new Random(tuning.Seed ^ 0x7e57);
        var space = tuning.Space;
        int maxAnchors = Math.Min(space.Anchors.Max, fit.Length), minAnchors = Math.Min(space.Anchors.Min, maxAnchors);
        bool cancelled = false;
        // A trial still running when the budget ends is stopped and dropped: the budget bounds the search.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        TimeSpan remaining = tuning.Budget - clock.Elapsed;
        if (remaining > TimeSpan.Zero) budget.CancelAfter(remaining); else budget.Cancel();
        while (clock.Elapsed < tuning.Budget && (tuning.MaxTrials <= 0 || trials.Count < tuning.MaxTrials))
        {
            if (cancellationToken.IsCancellationRequested) { cancelled = true; break; }
            bool explore = clock.Elapsed < tuning.Budget * tuning.ExploreShare || trials.Count < 4;
            ScratchOptions candidate = explore ? Draw(random, space, defaults, minAnchors, maxAnchors) : Perturb(random, space, best.Options, minAnchors, maxAnchors);
            ScratchTrial trial;
            try
            {
                trial = Run(candidate, explore ? "random" : "local", budget.Token);
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested)
            {
                cancelled = cancellationToken.IsCancellationRequested;
                break;
            }
            if (trial.MeanMap > best.MeanMap) best = trial;
        }
        ScratchTrial chosen = best.MeanMap >= trials[0].MeanMap + tuning.MinimumGain ? best : trials[0];
        // The joint functions stood in for the validated ones during the trials; the final model chooses.
        ScratchOptions modelOptions = baseOptions.HashFunctions == ScratchHashFunctions.Validated && chosen.Options.HashFunctions == ScratchHashFunctions.Joint
            ? chosen.Options with { HashFunctions = ScratchHashFunctions.Validated }
            : chosen.Options;
        return new ScratchSearchResult(trials, chosen, fit, validation, EdgeWarnings(chosen, trials[0], space, minAnchors, maxAnchors), cancelled)
        {
            ModelOptions = modelOptions,
        };
    }

    /// <summary>Validation MAP (I->T, T->I) of one setting trained on <paramref name="fit"/>.</summary>
    internal static (double ImageToText, double TextToImage) Score(CrossModalSplit fit, CrossModalSplit validation, ScratchOptions options,
        DatabaseProtocol protocol, CancellationToken cancellationToken)
    {
        ScratchTrainingResult trained = ScratchTrainer.Train(fit.Images, fit.Texts, fit.Labels.ToIndicatorMatrix(), options, cancellationToken: cancellationToken);
        int bits = trained.Model.Layout.Bits;
        (ulong[] images, ulong[] texts) = protocol == DatabaseProtocol.TrainingCodes
            ? (trained.TrainingCodes, trained.TrainingCodes)
            : (trained.Model.EncodeImages(fit.Images), trained.Model.EncodeTexts(fit.Texts));
        double imageToText = RetrievalMetrics.Evaluate(trained.Model.EncodeImages(validation.Images), texts, bits, validation.Labels, fit.Labels).Map;
        double textToImage = RetrievalMetrics.Evaluate(trained.Model.EncodeTexts(validation.Texts), images, bits, validation.Labels, fit.Labels).Map;
        return (imageToText, textToImage);
    }

    // A Validated base would train every trial twice on a split of its own: the trials (the
    // defaults' too, so that all are scored alike) use the joint functions, or the code regression
    // where the search draws it (ScratchSearchSpace.CodeRegression); ModelOptions restores Validated.
    private static ScratchOptions FixedHashFunctions(ScratchOptions options) =>
        options.HashFunctions == ScratchHashFunctions.Validated ? options with { HashFunctions = ScratchHashFunctions.Joint } : options;

    private static double LogUniform(Random random, (double Min, double Max) range) =>
        Math.Exp(Math.Log(range.Min) + random.NextDouble() * (Math.Log(range.Max) - Math.Log(range.Min)));

    private static ScratchOptions Draw(Random random, ScratchSearchSpace space, ScratchOptions baseOptions, int minAnchors, int maxAnchors) => baseOptions with
    {
        Mu = LogUniform(random, space.Mu),
        Alpha = LogUniform(random, space.Alpha),
        Gamma = LogUniform(random, space.Gamma),
        LambdaX = space.LambdaX.Min + random.NextDouble() * (space.LambdaX.Max - space.LambdaX.Min),
        Anchors = (int)Math.Round(LogUniform(random, (minAnchors, maxAnchors))),
        Iterations = random.Next(space.Iterations.Min, space.Iterations.Max + 1),
        HashFunctions = space.CodeRegression && random.NextDouble() < 0.5 ? ScratchHashFunctions.CodeRegression : FixedHashFunctions(baseOptions).HashFunctions,
        HashRidge = space.CodeRegression && random.NextDouble() < 0.5 ? LogUniform(random, space.HashRidge) : baseOptions.HashRidge,
    };

    // A log-normal step (sd 0.5 in natural log) from the best setting, clamped to the ranges.
    private static ScratchOptions Perturb(Random random, ScratchSearchSpace space, ScratchOptions best, int minAnchors, int maxAnchors)
    {
        double Step(double value, (double Min, double Max) range) => Math.Clamp(value * Math.Exp(0.5 * Normal(random)), range.Min, range.Max);
        return best with
        {
            Mu = Step(best.Mu, space.Mu),
            Alpha = Step(best.Alpha, space.Alpha),
            Gamma = Step(best.Gamma, space.Gamma),
            LambdaX = Math.Clamp(best.LambdaX + 0.1 * Normal(random), space.LambdaX.Min, space.LambdaX.Max),
            Anchors = (int)Math.Round(Math.Clamp(best.Anchors * Math.Exp(0.3 * Normal(random)), minAnchors, maxAnchors)),
            Iterations = Math.Clamp(best.Iterations + (int)Math.Round(4 * Normal(random)), space.Iterations.Min, space.Iterations.Max),
            HashRidge = best.HashRidge == 0 ? 0 : Step(best.HashRidge, space.HashRidge),
            HashFunctions = FixedHashFunctions(best).HashFunctions,
        };
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Settings of the chosen trial within the outer 5 % of their searched range (log scale for the multiplicative ones).</summary>
    private static List<string> EdgeWarnings(ScratchTrial chosen, ScratchTrial defaults, ScratchSearchSpace space, int minAnchors, int maxAnchors)
    {
        var warnings = new List<string>();
        if (chosen == defaults) return warnings;
        var o = chosen.Options;
        void Check(string name, double value, double min, double max, bool log)
        {
            if (max <= min) return;
            double position = log ? (Math.Log(value) - Math.Log(min)) / (Math.Log(max) - Math.Log(min)) : (value - min) / (max - min);
            if (position <= 0.05) warnings.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name} = {value:G3} lies on the low edge of its range [{min:G3}, {max:G3}]: widen the range downwards."));
            else if (position >= 0.95) warnings.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name} = {value:G3} lies on the high edge of its range [{min:G3}, {max:G3}]: widen the range upwards."));
        }
        Check("mu", o.Mu, space.Mu.Min, space.Mu.Max, log: true);
        Check("alpha", o.Alpha, space.Alpha.Min, space.Alpha.Max, log: true);
        Check("gamma", o.Gamma, space.Gamma.Min, space.Gamma.Max, log: true);
        // lambda lives in [0, 1]: an edge of the full interval is a finding, not a range to widen.
        if (o.LambdaX > 0 && o.LambdaX < 1 && (space.LambdaX.Min > 0 || space.LambdaX.Max < 1))
            Check("lambda", o.LambdaX, space.LambdaX.Min, space.LambdaX.Max, log: false);
        Check("anchors", o.Anchors, minAnchors, maxAnchors, log: true);
        Check("iterations", o.Iterations, space.Iterations.Min, space.Iterations.Max, log: false);
        if (o.HashRidge > 0) Check("hash ridge", o.HashRidge, space.HashRidge.Min, space.HashRidge.Max, log: true);
        return warnings;
    }

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
        baseOptions = FixedHashFunctions(baseOptions ?? new ScratchOptions());
        var (fit, validation) = SplitForValidation(training.Count, validationFraction, baseOptions.Seed);
        CrossModalSplit fitSplit = training.SelectRows(fit), validationSplit = training.SelectRows(validation);
        foreach (int anchors in grid.Anchors)
        {
            if (anchors > fit.Length)
                throw new ArgumentOutOfRangeException(nameof(grid), anchors, $"Anchor count {anchors} exceeds the {fit.Length} training pairs left after the validation split.");
        }

        var results = new List<ScratchTuningResult>();
        foreach (ScratchOptions options in grid.Settings(baseOptions))
        {
            var (imageToText, textToImage) = Score(fitSplit, validationSplit, options, DatabaseProtocol.TrainingCodes, CancellationToken.None);
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
