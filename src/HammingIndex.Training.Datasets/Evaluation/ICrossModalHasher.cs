using HammingIndex.Codes;

namespace HammingIndex.Training.Evaluation;

/// <summary>
/// A trained cross-modal hashing method as the benchmark sees it: hash functions for each
/// modality and the codes it puts in the retrieval database for its training items.
/// </summary>
public interface ICrossModalHasher
{
    /// <summary>Layout of every code this hasher writes.</summary>
    CodeLayout Layout { get; }

    /// <summary>Database codes of the training items searched by text queries (T->I), one per training item.</summary>
    ulong[] DatabaseImageCodes { get; }

    /// <summary>Database codes of the training items searched by image queries (I->T), one per training item.</summary>
    ulong[] DatabaseTextCodes { get; }

    /// <summary>
    /// True when <see cref="DatabaseImageCodes"/> and <see cref="DatabaseTextCodes"/> are codes the
    /// method learned for its training items (scored as <see cref="DatabaseProtocol.TrainingCodes"/>)
    /// rather than its hash functions' codes of them. Default false.
    /// </summary>
    bool HasLearnedTrainingCodes => false;

    /// <summary>Encodes image rows (raw features) into packed codes.</summary>
    ulong[] EncodeImages(FeatureMatrix images);

    /// <summary>Encodes text rows (raw features) into packed codes.</summary>
    ulong[] EncodeTexts(FeatureMatrix texts);
}
