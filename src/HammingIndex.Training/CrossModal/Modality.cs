namespace HammingIndex.Training.CrossModal;

/// <summary>One side of a cross-modal model.</summary>
public enum Modality
{
    /// <summary>Image features (the model's first view).</summary>
    Image = 0,

    /// <summary>Text features (the model's second view).</summary>
    Text = 1,
}
