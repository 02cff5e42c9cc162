using HammingIndex.Training.Evaluation;

namespace HammingIndex.Training.Datasets;

/// <summary>
/// One split of a two-modality labelled set: row i of <see cref="Images"/>, row i of
/// <see cref="Texts"/> and entry i of <see cref="Labels"/> describe the same item.
/// "Images" and "texts" name the two views; for a two-view set such as UCI segmentation they are
/// the first and second view.
/// </summary>
public sealed class CrossModalSplit
{
    /// <summary>Creates a split and checks that the three parts have the same number of rows.</summary>
    /// <exception cref="ArgumentException">The row counts disagree.</exception>
    public CrossModalSplit(FeatureMatrix images, FeatureMatrix texts, LabelSet labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(labels);
        if (texts.Rows != images.Rows)
            throw new ArgumentException($"The texts have {texts.Rows} rows but the images {images.Rows}.", nameof(texts));
        if (labels.Count != images.Rows)
            throw new ArgumentException($"There are {labels.Count} label rows but {images.Rows} images.", nameof(labels));
        Images = images;
        Texts = texts;
        Labels = labels;
    }

    /// <summary>First view (image features), one row per item.</summary>
    public FeatureMatrix Images { get; }

    /// <summary>Second view (text features), one row per item.</summary>
    public FeatureMatrix Texts { get; }

    /// <summary>Labels, one set per item.</summary>
    public LabelSet Labels { get; }

    /// <summary>Number of items.</summary>
    public int Count => Images.Rows;

    /// <summary>A new split of the given rows, in the given order.</summary>
    public CrossModalSplit SelectRows(ReadOnlySpan<int> rows) =>
        new(Images.SelectRows(rows), Texts.SelectRows(rows), Labels.SelectRows(rows));
}
