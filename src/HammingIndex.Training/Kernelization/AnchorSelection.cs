namespace HammingIndex.Training.Kernelization;

/// <summary>How <see cref="RbfKernelMap"/> picks its anchor points.</summary>
public enum AnchorSelection
{
    /// <summary>Training rows drawn uniformly without replacement (the authors' choice).</summary>
    Random = 0,

    /// <summary>Random rows refined by Lloyd's k-means iterations on the centred training rows.</summary>
    KMeans = 1,
}
