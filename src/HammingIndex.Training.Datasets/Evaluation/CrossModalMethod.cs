using HammingIndex.Codes;
using HammingIndex.Training.Datasets;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.Evaluation;

/// <summary>A named way to train an <see cref="ICrossModalHasher"/> from a training split, a code length and a seed.</summary>
/// <param name="Name">Name shown in reports.</param>
/// <param name="Train">Trains the hasher: (training split, bits, seed) -> hasher.</param>
public sealed record CrossModalMethod(string Name, Func<CrossModalSplit, int, int, ICrossModalHasher> Train)
{
    /// <summary>
    /// SCRATCH with <paramref name="options"/> (null: the paper's defaults); bits and seed are set per
    /// run. The database holds the learned training codes B for both directions, as in the authors'
    /// evaluate.m. <paramref name="name"/> names it in reports (default "SCRATCH").
    /// </summary>
    public static CrossModalMethod Scratch(ScratchOptions? options = null, string name = "SCRATCH") => new(name, (train, bits, seed) =>
    {
        ScratchTrainingResult result = ScratchTrainer.Train(train.Images, train.Texts, train.Labels.ToIndicatorMatrix(),
            (options ?? new ScratchOptions()) with { Bits = bits, Seed = seed });
        return new ScratchHasher(result);
    });

    /// <summary>
    /// Random-hyperplane LSH, independently per modality (seeds derived from the run's seed); the
    /// database holds each modality's own codes of the training items. Cross-modal chance level.
    /// </summary>
    public static CrossModalMethod Lsh { get; } = new("LSH", (train, bits, seed) =>
        new LshHasher(RandomHyperplaneLsh.Fit(train.Images, bits, seed * 2 + 1), RandomHyperplaneLsh.Fit(train.Texts, bits, seed * 2 + 2), train));

    /// <summary>The SCRATCH hasher and its training result (the model, B, objectives).</summary>
    public sealed class ScratchHasher(ScratchTrainingResult result) : ICrossModalHasher
    {
        /// <summary>The training result.</summary>
        public ScratchTrainingResult Result { get; } = result;

        /// <inheritdoc />
        public CodeLayout Layout => Result.Model.Layout;

        /// <inheritdoc />
        public ulong[] DatabaseImageCodes => Result.TrainingCodes;

        /// <inheritdoc />
        public ulong[] DatabaseTextCodes => Result.TrainingCodes;

        /// <inheritdoc />
        public ulong[] EncodeImages(FeatureMatrix images) => Result.Model.EncodeImages(images);

        /// <inheritdoc />
        public ulong[] EncodeTexts(FeatureMatrix texts) => Result.Model.EncodeTexts(texts);
    }

    private sealed class LshHasher(RandomHyperplaneLsh image, RandomHyperplaneLsh text, CrossModalSplit train) : ICrossModalHasher
    {
        public CodeLayout Layout => image.Layout;
        public ulong[] DatabaseImageCodes { get; } = image.Encode(train.Images);
        public ulong[] DatabaseTextCodes { get; } = text.Encode(train.Texts);
        public ulong[] EncodeImages(FeatureMatrix images) => image.Encode(images);
        public ulong[] EncodeTexts(FeatureMatrix texts) => text.Encode(texts);
    }
}
