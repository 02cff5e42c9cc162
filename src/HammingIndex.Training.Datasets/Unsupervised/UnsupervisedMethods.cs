using HammingIndex.Training.Baselines;
using HammingIndex.Training.Evaluation;

namespace HammingIndex.Training.Unsupervised;

/// <summary>The unsupervised methods as <see cref="CrossModalMethod"/>s: the benchmark passes the labels to none of them.</summary>
public static class UnsupervisedMethods
{
    /// <summary>
    /// The graph trainer (<see cref="UnsupervisedTrainer"/>) with <paramref name="options"/> (null:
    /// defaults); bits and seed are set per run; the authors'-protocol database is its training codes.
    /// </summary>
    public static CrossModalMethod Graph(UnsupervisedOptions? options = null, string name = "Graph (unsupervised)") => new(name, (train, bits, seed) =>
    {
        UnsupervisedTrainingResult result = UnsupervisedTrainer.Train(train.Images, train.Texts, (options ?? new UnsupervisedOptions()) with { Bits = bits, Seed = seed });
        return new CrossModalMethod.ScratchHasher(result.Hashing);
    });

    /// <summary>CCA + ITQ (<see cref="CcaItq"/>) with <paramref name="options"/> (null: defaults).</summary>
    public static CrossModalMethod CcaItq(CcaItqOptions? options = null, string name = "CCA-ITQ") => new(name, (train, bits, seed) =>
        Baselines.CcaItq.Train(train.Images, train.Texts, bits, seed, options));
}
