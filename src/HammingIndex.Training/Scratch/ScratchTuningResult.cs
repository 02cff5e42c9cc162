namespace HammingIndex.Training.Scratch;

/// <summary>Validation MAP of one setting of the grid search.</summary>
/// <param name="Options">The options trained with.</param>
/// <param name="MapImageToText">MAP of validation images querying the training codes (relevant = shares a label).</param>
/// <param name="MapTextToImage">MAP of validation texts querying the training codes.</param>
public sealed record ScratchTuningResult(ScratchOptions Options, double MapImageToText, double MapTextToImage)
{
    /// <summary>Mean of the two directions: the figure settings are ranked by.</summary>
    public double MeanMap => (MapImageToText + MapTextToImage) / 2;
}
