namespace HammingIndex.Training.Baselines;

/// <summary>Settings of <c>CcaItq</c> (the baseline hasher of the quality harness).</summary>
public sealed record CcaItqOptions
{
    /// <summary>
    /// RBF kernel anchors per modality (the same <see cref="Kernelization.RbfKernelMap"/> as SCRATCH),
    /// capped at the training size; 0 runs CCA on the raw features, which allows at most min(dx, dy) bits.
    /// </summary>
    public int KernelAnchors { get; init; } = 500;

    /// <summary>κ: CCA's ridge, relative to each covariance's mean variance.</summary>
    public double Regularization { get; init; } = 1e-2;

    /// <summary>ITQ alternations.</summary>
    public int Iterations { get; init; } = 50;
}
