using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.Unsupervised;

/// <summary>
/// Hyper-parameters of <see cref="UnsupervisedTrainer"/> (docs/UNSUPERVISED.md gives the equations
/// each one enters). The graph knobs shape the fused similarity graph; <see cref="Hashing"/> holds
/// the SCRATCH options of the hash-function step, whose label term is fed the graph's low-rank factor.
/// </summary>
public sealed record UnsupervisedOptions
{
    /// <summary>Code length r in bits, 1..4096 (overrides <see cref="Hashing"/>'s).</summary>
    public int Bits { get; init; } = 64;

    /// <summary>m: graph anchors per modality (spherical k-means centres of the unit feature rows), 2..number of training pairs.</summary>
    public int GraphAnchors { get; init; } = 300;

    /// <summary>s: each row links to its s most cosine-similar anchors before the gate, 1..<see cref="GraphAnchors"/>.</summary>
    public int NearestAnchors { get; init; } = 5;

    /// <summary>Spherical k-means iterations that refine the graph anchors (0 keeps random training rows).</summary>
    public int AnchorIterations { get; init; } = 5;

    /// <summary>
    /// θ: the gate drops an edge whose standardised similarity z = (c - mean) / std (over all s n
    /// candidate edges of the modality) is below θ; a row's most similar anchor is always kept.
    /// </summary>
    public double GateThreshold { get; init; } = -1.0;

    /// <summary>β: a kept edge weighs sigmoid(β z), so larger β separates strong from weak edges more sharply. Positive.</summary>
    public double GateSharpness { get; init; } = 2.0;

    /// <summary>ρ in [0, 1]: local rebasing mixes the first-order anchor graph A with its neighbours-of-neighbours A² as (1 - ρ) A + ρ A².</summary>
    public double NeighbourWeight { get; init; } = 0.5;

    /// <summary>w in [0, 1]: the joint similarity is w Ã_image + (1 - w) Ã_text.</summary>
    public double ImageWeight { get; init; } = 0.5;

    /// <summary>
    /// Candidate image weights to choose w from without labels (<see cref="ImageWeight"/> is then
    /// ignored): <see cref="ValidationFraction"/> of the training pairs is held out, one model per
    /// candidate is trained on the rest, and the candidate whose codes best retrieve each held-out
    /// item's own partner in the other modality (mean MAP of both directions) is used to train on all
    /// pairs. Null or empty: w = <see cref="ImageWeight"/>, no selection. Each candidate in [0, 1].
    /// Costs one extra training on (1 - fraction) of the pairs per candidate.
    /// </summary>
    public IReadOnlyList<double>? ImageWeightCandidates { get; init; }

    /// <summary>Share of the training pairs held out to choose among <see cref="ImageWeightCandidates"/>, in [0.05, 0.5].</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>The candidates a user gets with automatic selection: text-leaning to image-leaning.</summary>
    public static IReadOnlyList<double> DefaultImageWeightCandidates { get; } = [0.2, 0.35, 0.5, 0.65, 0.8];

    /// <summary>True when w is chosen from <see cref="ImageWeightCandidates"/>.</summary>
    public bool SelectsImageWeight => ImageWeightCandidates is { Count: > 0 };

    /// <summary>η ≥ 0: the fused graph is S + η S Sᵀ (joint similarity plus its second-order reconstruction) before normalisation.</summary>
    public double SecondOrderWeight { get; init; } = 1.0;

    /// <summary>k: columns of the graph's low-rank factor F (its leading non-trivial eigenvectors); 0 means <see cref="Bits"/>. At most 2m - 1.</summary>
    public int EmbeddingDimensions { get; init; }

    /// <summary>
    /// Options of the SCRATCH step that learns codes and hash functions with F in place of the labels
    /// (kernel anchors, alpha, mu, gamma, iterations); its Bits, Seed and MaxDegreeOfParallelism are
    /// replaced by this record's. Its <see cref="ScratchOptions.HashFunctions"/>: <see cref="ScratchHashFunctions.Joint"/>
    /// (the authors' sign(R W phi)), <see cref="ScratchHashFunctions.CodeRegression"/> (per-bit kernel ridge
    /// fitted to the learned codes), or <see cref="ScratchHashFunctions.Validated"/> (the default): the
    /// one whose codes find held-out pairs' partners better, chosen without labels (<see cref="HashFunctionSelection"/>;
    /// costs one more training on 1 - <see cref="ValidationFraction"/> of the pairs).
    /// </summary>
    public ScratchOptions Hashing { get; init; } = new();

    /// <summary>Seed of the graph anchors and of the SCRATCH step: same data + same seed = same model.</summary>
    public int Seed { get; init; }

    /// <summary>Worker threads; 0 or less means all cores.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>k as used: <see cref="EmbeddingDimensions"/>, or <see cref="Bits"/> when it is 0.</summary>
    public int EffectiveEmbeddingDimensions => EmbeddingDimensions == 0 ? Bits : EmbeddingDimensions;

    /// <summary>
    /// The SCRATCH options of the hashing step with this record's bits, seed and threads. Their
    /// <see cref="ScratchOptions.HashFunctions"/> may still be <see cref="ScratchHashFunctions.Validated"/>:
    /// <see cref="UnsupervisedTrainer"/> resolves it without labels (<see cref="HashFunctionSelection"/>).
    /// </summary>
    public ScratchOptions HashingOptions() => (Hashing ?? new ScratchOptions()) with
    {
        Bits = Bits, Seed = Seed, MaxDegreeOfParallelism = MaxDegreeOfParallelism, AllowUnlabeledRows = true,
    };

    /// <summary>Checks every option against its valid range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The first option out of range, named with its value.</exception>
    public void Validate()
    {
        if (Bits < 1 || Bits > 4096) throw new ArgumentOutOfRangeException(nameof(Bits), Bits, "Bits must be between 1 and 4096.");
        if (GraphAnchors < 2) throw new ArgumentOutOfRangeException(nameof(GraphAnchors), GraphAnchors, "At least two graph anchors are needed.");
        if (NearestAnchors < 1 || NearestAnchors > GraphAnchors)
            throw new ArgumentOutOfRangeException(nameof(NearestAnchors), NearestAnchors, $"NearestAnchors must be between 1 and GraphAnchors ({GraphAnchors}).");
        if (AnchorIterations < 0) throw new ArgumentOutOfRangeException(nameof(AnchorIterations), AnchorIterations, "Must not be negative.");
        if (!double.IsFinite(GateThreshold)) throw new ArgumentOutOfRangeException(nameof(GateThreshold), GateThreshold, "GateThreshold must be finite.");
        if (!(GateSharpness > 0) || !double.IsFinite(GateSharpness)) throw new ArgumentOutOfRangeException(nameof(GateSharpness), GateSharpness, "GateSharpness must be finite and positive.");
        if (!(NeighbourWeight >= 0 && NeighbourWeight <= 1)) throw new ArgumentOutOfRangeException(nameof(NeighbourWeight), NeighbourWeight, "NeighbourWeight must lie in [0, 1].");
        if (!(ImageWeight >= 0 && ImageWeight <= 1)) throw new ArgumentOutOfRangeException(nameof(ImageWeight), ImageWeight, "ImageWeight must lie in [0, 1].");
        if (ImageWeightCandidates is not null)
            foreach (double candidate in ImageWeightCandidates)
                if (!(candidate >= 0 && candidate <= 1))
                    throw new ArgumentOutOfRangeException(nameof(ImageWeightCandidates), candidate, "Every image weight candidate must lie in [0, 1].");
        if (!(ValidationFraction >= 0.05 && ValidationFraction <= 0.5))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "ValidationFraction must lie in [0.05, 0.5].");
        if (!(SecondOrderWeight >= 0) || !double.IsFinite(SecondOrderWeight)) throw new ArgumentOutOfRangeException(nameof(SecondOrderWeight), SecondOrderWeight, "SecondOrderWeight must be finite and at least 0.");
        if (EmbeddingDimensions < 0 || EffectiveEmbeddingDimensions > 2 * GraphAnchors - 1)
            throw new ArgumentOutOfRangeException(nameof(EmbeddingDimensions), EmbeddingDimensions, $"The embedding needs between 1 and 2 x GraphAnchors - 1 ({2 * GraphAnchors - 1}) columns (0 means Bits = {Bits}).");
        HashingOptions().Validate();
    }
}
