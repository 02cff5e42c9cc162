using HammingIndex.Training.Evaluation;

namespace HammingIndex.Training.Scratch;

/// <summary>One trial of <see cref="ScratchTuning.Search"/>: a setting and its validation MAP.</summary>
/// <param name="Number">0 for the defaults, then 1, 2, ... in the order tried.</param>
/// <param name="Options">The options trained with.</param>
/// <param name="Protocol">What the validation database held.</param>
/// <param name="MapImageToText">MAP of validation images querying the fit rows' database.</param>
/// <param name="MapTextToImage">MAP of validation texts querying the fit rows' database.</param>
/// <param name="Elapsed">Training plus scoring time of the trial.</param>
/// <param name="Phase">"defaults", "random" (drawn from the whole space) or "local" (a perturbation of the best so far).</param>
public sealed record ScratchTrial(int Number, ScratchOptions Options, DatabaseProtocol Protocol, double MapImageToText, double MapTextToImage, TimeSpan Elapsed, string Phase)
{
    /// <summary>Mean of the two directions: the figure trials are ranked by.</summary>
    public double MeanMap => (MapImageToText + MapTextToImage) / 2;
}

/// <summary>What <see cref="ScratchTuning.Search"/> found.</summary>
/// <param name="Trials">Every trial in the order run; the first is the defaults.</param>
/// <param name="Best">The chosen trial: the best mean MAP, or the defaults unless another beats them by <see cref="ScratchTuningOptions.MinimumGain"/>.</param>
/// <param name="FitRows">Training rows the trials trained on (ascending).</param>
/// <param name="ValidationRows">Training rows held out as validation queries (ascending; disjoint from <paramref name="FitRows"/>).</param>
/// <param name="EdgeWarnings">One line per searched setting whose best value lies in the outer 5 % of its range (log scale where drawn so).</param>
/// <param name="Cancelled">True when the token stopped the search before its budget or trial limit.</param>
public sealed record ScratchSearchResult(IReadOnlyList<ScratchTrial> Trials, ScratchTrial Best, int[] FitRows, int[] ValidationRows,
    IReadOnlyList<string> EdgeWarnings, bool Cancelled)
{
    /// <summary>The defaults' trial (number 0).</summary>
    public ScratchTrial Defaults => Trials[0];

    /// <summary>
    /// The options to train the final model with on every training pair: <see cref="Best"/>'s, except
    /// that when the base options asked for <see cref="ScratchHashFunctions.Validated"/> hash functions
    /// and the trial scored the joint ones in their stead, Validated is restored (the final training
    /// then chooses the functions on a split of its own). Defaults to <see cref="Best"/>'s options.
    /// </summary>
    public ScratchOptions ModelOptions { get => field ?? Best.Options; init; }
}

/// <summary>Settings of <see cref="ScratchTuning.Search"/>.</summary>
public sealed record ScratchTuningOptions
{
    /// <summary>Wall-clock budget for the trials (the defaults' trial always runs). Default 5 minutes.</summary>
    public TimeSpan Budget { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Most trials including the defaults; 0 = no limit but the budget.</summary>
    public int MaxTrials { get; init; }

    /// <summary>Share of the training pairs held out as validation queries, in (0, 1). Default 0.2.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>What the validation database holds. Default the learned training codes (the authors' protocol).</summary>
    public DatabaseProtocol Protocol { get; init; } = DatabaseProtocol.TrainingCodes;

    /// <summary>Seed of the split and of the draws (the trials' own seed is <see cref="ScratchOptions.Seed"/> of the base options).</summary>
    public int Seed { get; init; }

    /// <summary>Mean validation MAP a setting must gain over the defaults to be chosen instead of them. Default 0.005.</summary>
    public double MinimumGain { get; init; } = 0.005;

    /// <summary>Share of the budget spent on draws from the whole space before perturbing the best. Default 0.6.</summary>
    public double ExploreShare { get; init; } = 0.6;

    /// <summary>The ranges searched.</summary>
    public ScratchSearchSpace Space { get; init; } = new();
}
