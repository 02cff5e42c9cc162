namespace HammingIndex.Training.Evaluation;

/// <summary>Which modality queries and which is searched.</summary>
public enum RetrievalDirection
{
    /// <summary>Image queries, text database (I->T).</summary>
    ImageToText,

    /// <summary>Text queries, image database (T->I).</summary>
    TextToImage,

    /// <summary>Image queries, image database (I->I; real-valued references only).</summary>
    ImageToImage,

    /// <summary>Text queries, text database (T->T; real-valued references only).</summary>
    TextToText,
}

/// <summary>Short names of <see cref="RetrievalDirection"/>.</summary>
public static class RetrievalDirections
{
    /// <summary>"I->T", "T->I", "I->I" or "T->T".</summary>
    public static string ShortName(this RetrievalDirection direction) => direction switch
    {
        RetrievalDirection.ImageToText => "I->T",
        RetrievalDirection.TextToImage => "T->I",
        RetrievalDirection.ImageToImage => "I->I",
        RetrievalDirection.TextToText => "T->T",
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "Unknown direction."),
    };
}
