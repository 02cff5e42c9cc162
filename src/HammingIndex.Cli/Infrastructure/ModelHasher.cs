using HammingIndex.Training.CrossModal;
using HammingIndex.Codes;
using HammingIndex.Training;
using HammingIndex.Training.Datasets;
using HammingIndex.Training.Evaluation;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>
/// A SCRATCH model loaded from a file, as the evaluation sees it. A model file holds the hash
/// functions but not the training codes B: the database is either the B saved by
/// <c>hamming train --train-codes</c> (the authors' protocol, both directions), or else each
/// modality's hash codes of the training items.
/// </summary>
internal sealed class ModelHasher : ICrossModalHasher
{
    private readonly ScratchModel _model;

    public ModelHasher(ScratchModel model, CrossModalSplit train, ulong[]? trainingCodes)
    {
        _model = model;
        ModalityCodes.CheckDimension(model, Modality.Image, train.Images.Columns, "the image features");
        ModalityCodes.CheckDimension(model, Modality.Text, train.Texts.Columns, "the text features");
        if (trainingCodes is not null)
        {
            if (model.Layout.ValidateCodes(trainingCodes) != train.Count)
                throw new CliException($"the database codes hold {trainingCodes.Length / model.Layout.WordsPerCode} codes, but the training split has {train.Count} items.");
            DatabaseImageCodes = DatabaseTextCodes = trainingCodes;
            UsesTrainingCodes = true;
        }
        else
        {
            DatabaseImageCodes = EncodeImages(train.Images);
            DatabaseTextCodes = EncodeTexts(train.Texts);
        }
    }

    /// <summary>Whether the database is the learned training codes B.</summary>
    public bool UsesTrainingCodes { get; }

    /// <summary>True with the training codes: the evaluation then also scores the encoded database.</summary>
    public bool HasLearnedTrainingCodes => UsesTrainingCodes;

    public CodeLayout Layout => _model.Layout;

    public ulong[] DatabaseImageCodes { get; }

    public ulong[] DatabaseTextCodes { get; }

    public ulong[] EncodeImages(FeatureMatrix images) => ModalityCodes.Encode(_model, Modality.Image, images);

    public ulong[] EncodeTexts(FeatureMatrix texts) => ModalityCodes.Encode(_model, Modality.Text, texts);
}
