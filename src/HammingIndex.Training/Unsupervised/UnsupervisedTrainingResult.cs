using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.Unsupervised;

/// <summary>What <see cref="UnsupervisedTrainer.Train"/> produces.</summary>
public sealed class UnsupervisedTrainingResult
{
    internal UnsupervisedTrainingResult(ScratchTrainingResult hashing, long imageEdges, long textEdges, double[] eigenvalues, TimeSpan graphTime, TimeSpan elapsed,
        double imageWeight)
    {
        ImageWeight = imageWeight;
        Hashing = hashing;
        ImageEdges = imageEdges;
        TextEdges = textEdges;
        Eigenvalues = eigenvalues;
        GraphTime = graphTime;
        Elapsed = elapsed;
    }

    /// <summary>
    /// The hashing step's result: the model (hash functions of the same form as supervised SCRATCH,
    /// saved in the same model file), the training codes B and the objective per iteration.
    /// </summary>
    public ScratchTrainingResult Hashing { get; }

    /// <summary>The hash functions of both modalities.</summary>
    public ScratchModel Model => Hashing.Model;

    /// <summary>The learned codes of the training pairs, one per row (the database of the authors' protocol).</summary>
    public ulong[] TrainingCodes => Hashing.TrainingCodes;

    /// <summary>The image weight w the model was trained with (the chosen one when <see cref="UnsupervisedOptions.ImageWeightCandidates"/> was set).</summary>
    public double ImageWeight { get; }

    /// <summary>
    /// The held-out partner MAP of each of <see cref="UnsupervisedOptions.ImageWeightCandidates"/>, in
    /// their order; null when w was given.
    /// </summary>
    public IReadOnlyList<double>? ImageWeightScores { get; internal set; }

    /// <summary>
    /// The held-out partner MAP of the joint and of the code-regression hash functions when the trainer
    /// chose between them without labels (<see cref="HashFunctionSelection"/>); null when the kind was
    /// given, or the pairs were too few to hold any out. <see cref="Model"/>'s
    /// <see cref="ScratchModel.HashFunctions"/> names the kind used.
    /// </summary>
    public (double Joint, double CodeRegression)? HashFunctionScores { get; internal set; }

    /// <summary>Row-to-anchor edges the gate kept in the image graph.</summary>
    public long ImageEdges { get; }

    /// <summary>Row-to-anchor edges the gate kept in the text graph.</summary>
    public long TextEdges { get; }

    /// <summary>Eigenvalues of the normalised fused graph behind the embedding columns, largest first.</summary>
    public IReadOnlyList<double> Eigenvalues { get; }

    /// <summary>Time to build the graphs and the embedding.</summary>
    public TimeSpan GraphTime { get; }

    /// <summary>Wall-clock training time, graphs included.</summary>
    public TimeSpan Elapsed { get; }
}
