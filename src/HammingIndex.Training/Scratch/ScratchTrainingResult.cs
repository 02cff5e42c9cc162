namespace HammingIndex.Training.Scratch;

/// <summary>What <see cref="ScratchTrainer.Train"/> produces.</summary>
public sealed class ScratchTrainingResult
{
    internal ScratchTrainingResult(ScratchModel model, ulong[] trainingCodes, double[] objectives, TimeSpan elapsed, HashFunctionChoice? hashFunctionChoice = null)
    {
        HashFunctionChoice = hashFunctionChoice;
        Model = model;
        TrainingCodes = trainingCodes;
        Objectives = objectives;
        Elapsed = elapsed;
    }

    /// <summary>The hash functions of both modalities.</summary>
    public ScratchModel Model { get; }

    /// <summary>
    /// The learned codes B of the training pairs (the last iteration's B = sign(R V)), one code per
    /// training row in <see cref="ScratchModel.Layout"/>, packed like <see cref="ScratchModel.EncodeImages(FeatureMatrix)"/>:
    /// the usual database of cross-modal retrieval.
    /// </summary>
    public ulong[] TrainingCodes { get; }

    /// <summary>The objective after each iteration (non-increasing up to rounding).</summary>
    public IReadOnlyList<double> Objectives { get; }

    /// <summary>How <see cref="ScratchHashFunctions.Validated"/> chose the model's hash functions; null when the options fixed them.</summary>
    public HashFunctionChoice? HashFunctionChoice { get; }

    /// <summary>Wall-clock training time, kernel fitting included.</summary>
    public TimeSpan Elapsed { get; }
}
