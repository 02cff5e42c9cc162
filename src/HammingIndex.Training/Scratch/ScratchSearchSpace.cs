namespace HammingIndex.Training.Scratch;

/// <summary>
/// The ranges <see cref="ScratchTuning.Search"/> draws from: log-uniform for the weights, the ridge
/// and the anchor count, uniform for lambda_x and the iterations. The defaults are wide — three to
/// four decades either side of the authors' values, and wider upwards for mu, alpha and gamma, where
/// the first 5-minute runs put winners on the edges of narrower ranges (docs/QUALITY.md) — and the
/// search reports a winner on an edge.
/// </summary>
public sealed record ScratchSearchSpace
{
    /// <summary>mu (hash-function weight), log-uniform.</summary>
    public (double Min, double Max) Mu { get; init; } = (1, 1e7);

    /// <summary>alpha (label weight), log-uniform.</summary>
    public (double Min, double Max) Alpha { get; init; } = (0.1, 1e6);

    /// <summary>gamma (regularizer), log-uniform.</summary>
    public (double Min, double Max) Gamma { get; init; } = (1e-2, 1e4);

    /// <summary>lambda_x (image vs text reconstruction), uniform.</summary>
    public (double Min, double Max) LambdaX { get; init; } = (0, 1);

    /// <summary>Anchors per modality, log-uniform, capped at the training rows left after the validation split.</summary>
    public (int Min, int Max) Anchors { get; init; } = (100, 2000);

    /// <summary>Iterations, uniform.</summary>
    public (int Min, int Max) Iterations { get; init; } = (5, 40);

    /// <summary>
    /// Whether draws also try the code-regression hash functions (with equal odds against the joint
    /// ones). Off by default: on the sets measured they rank worse and their cross-validation costs
    /// several trainings' worth of time per trial (docs/QUALITY.md).
    /// </summary>
    public bool CodeRegression { get; init; }

    /// <summary>
    /// Relative ridge of the code-regression hash functions, log-uniform; half of the draws leave it
    /// at 0 (chosen by cross-validation inside training). Used when <see cref="CodeRegression"/> is on.
    /// </summary>
    public (double Min, double Max) HashRidge { get; init; } = (1e-5, 1);

    /// <summary>Checks that every range is ordered and valid.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The first invalid range, named.</exception>
    public void Validate()
    {
        static void Positive((double Min, double Max) r, string name)
        {
            if (!(r.Min > 0 && r.Max >= r.Min && double.IsFinite(r.Max)))
                throw new ArgumentOutOfRangeException(name, r, $"{name} must be a range 0 < min <= max.");
        }
        Positive(Mu, nameof(Mu)); Positive(Alpha, nameof(Alpha)); Positive(Gamma, nameof(Gamma)); Positive(HashRidge, nameof(HashRidge));
        if (!(LambdaX.Min >= 0 && LambdaX.Max <= 1 && LambdaX.Max >= LambdaX.Min))
            throw new ArgumentOutOfRangeException(nameof(LambdaX), LambdaX, "LambdaX must be a range within [0, 1].");
        if (Anchors.Min < 1 || Anchors.Max < Anchors.Min) throw new ArgumentOutOfRangeException(nameof(Anchors), Anchors, "Anchors must be a range 1 <= min <= max.");
        if (Iterations.Min < 1 || Iterations.Max < Iterations.Min) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "Iterations must be a range 1 <= min <= max.");
    }
}
