namespace HammingIndex.Training.Scratch;

/// <summary>
/// The values <see cref="ScratchTuning.GridSearch"/> tries (every combination). The default grid
/// brackets the authors' defaults (mu = 1000, alpha = 500, gamma = 5, 500 anchors) and their advice
/// for high-dimensional features (mu = 100, alpha = 10): 2 x 2 x 2 x 2 = 16 settings.
/// </summary>
public sealed record ScratchTuningGrid
{
    /// <summary>Values of <see cref="ScratchOptions.Mu"/>.</summary>
    public IReadOnlyList<double> Mu { get; init; } = [100, 1000];

    /// <summary>Values of <see cref="ScratchOptions.Alpha"/>.</summary>
    public IReadOnlyList<double> Alpha { get; init; } = [10, 500];

    /// <summary>Values of <see cref="ScratchOptions.Gamma"/>.</summary>
    public IReadOnlyList<double> Gamma { get; init; } = [1, 5];

    /// <summary>Values of <see cref="ScratchOptions.Anchors"/>.</summary>
    public IReadOnlyList<int> Anchors { get; init; } = [250, 500];

    /// <summary>Every combination, mu outermost, anchors innermost.</summary>
    public IEnumerable<ScratchOptions> Settings(ScratchOptions baseOptions)
    {
        foreach (double mu in Mu)
            foreach (double alpha in Alpha)
                foreach (double gamma in Gamma)
                    foreach (int anchors in Anchors)
                        yield return baseOptions with { Mu = mu, Alpha = alpha, Gamma = gamma, Anchors = anchors };
    }
}
