using HammingIndex.Kernels;

namespace HammingIndex.Training.Evaluation;

/// <summary>Settings of <see cref="RetrievalMetrics.Evaluate"/>.</summary>
public sealed record RetrievalOptions
{
    /// <summary>R of MAP@R: the ranking is cut after the first R database items (default 50). Must be at least 1.</summary>
    public int MapCutoff { get; init; } = 50;

    /// <summary>Longest N of the precision@N curve (default 1,000; shortened to the database size). Must be at least 1.</summary>
    public int PrecisionCurveLength { get; init; } = 1000;

    /// <summary>Radius of the hash-lookup precision (default 2). Must lie in 0..bits.</summary>
    public int LookupRadius { get; init; } = 2;

    /// <summary>Most queries evaluated at once (default -1: as many as there are cores).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Instruction-set path of the distance kernel (default <see cref="KernelPath.Auto"/>).</summary>
    public KernelPath KernelPath { get; init; } = KernelPath.Auto;
}
