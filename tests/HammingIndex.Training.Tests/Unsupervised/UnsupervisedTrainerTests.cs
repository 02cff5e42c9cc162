using HammingIndex.Training.Evaluation;
using HammingIndex.Training.Tests.Scratch;
using HammingIndex.Training.Unsupervised;

namespace HammingIndex.Training.Tests.Unsupervised;

public class UnsupervisedTrainerTests
{
    /// <summary>A small, quick configuration the unsupervised tests share.</summary>
    internal static readonly UnsupervisedOptions Small = new()
    {
        Bits = 16, GraphAnchors = 20, NearestAnchors = 4, Hashing = new() { Anchors = 40, Iterations = 8 }, MaxDegreeOfParallelism = 2,
    };

    [Fact]
    public void TheObjectiveTheSolverMinimisesNeverIncreases()
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var data = PairedData.Create(300, 12, 7, 5, seed);
            UnsupervisedTrainingResult result = UnsupervisedTrainer.Train(data.Image, data.Text, Small with { Seed = seed });
            IReadOnlyList<double> objectives = result.Hashing.Objectives;
            Assert.Equal(8, objectives.Count);
            for (int t = 1; t < objectives.Count; t++)
                Assert.True(objectives[t] <= objectives[t - 1] * (1 + 1e-9), $"seed {seed}: objective rose from {objectives[t - 1]} to {objectives[t]} at iteration {t + 1}");
        }
    }

    [Fact]
    public void CodesLearnedWithoutLabelsRetrieveTheSharedClassesFarAboveChance()
    {
        var data = PairedData.Create(400, 12, 7, 5, seed: 4);
        var queries = PairedData.Create(400, 12, 7, 5, seed: 4); // same centres: the same classes
        UnsupervisedTrainingResult result = UnsupervisedTrainer.Train(data.Image, data.Text, Small with { Seed = 4 });
        LabelSet labels = LabelSet.FromIndicatorMatrix(data.Labels);
        int bits = result.Model.Layout.Bits;
        double imageToText = RetrievalMetrics.Evaluate(result.Model.EncodeImages(queries.Image), result.Model.EncodeTexts(data.Text), bits, labels, labels).Map;
        var lsh = RetrievalMetrics.Evaluate(RandomHyperplaneLsh.Fit(data.Image, bits, 1).Encode(queries.Image), RandomHyperplaneLsh.Fit(data.Text, bits, 2).Encode(data.Text),
            bits, labels, labels).Map;
        Assert.True(imageToText > lsh + 0.2, $"unsupervised I->T MAP {imageToText:F3} vs LSH {lsh:F3}");
    }

    [Fact]
    public void NoPairsMismatchedRowsAndNonFiniteValuesGetNamedErrors()
    {
        var data = PairedData.Create(50, 6, 4, 3, seed: 1);
        var none = new FeatureMatrix(0, 6);
        var e = Assert.Throws<ArgumentException>(() => UnsupervisedTrainer.Train(none, new FeatureMatrix(0, 4), Small));
        Assert.Equal("image", e.ParamName);
        Assert.Contains("No training pairs", e.Message);

        e = Assert.Throws<ArgumentException>(() => UnsupervisedTrainer.Train(data.Image, data.Text.SelectRows([0, 1, 2]), Small));
        Assert.Equal("text", e.ParamName);
        Assert.Contains("3 rows", e.Message);

        var text = new FeatureMatrix(data.Text.Rows, data.Text.Columns, (double[])data.Text.Values.Clone());
        text[7, 2] = double.NaN;
        e = Assert.Throws<ArgumentException>(() => UnsupervisedTrainer.Train(data.Image, text, Small));
        Assert.Equal("text", e.ParamName);
        Assert.Contains("row 7, column 2", e.Message);
        Assert.Contains("NaN", e.Message);

        var range = Assert.Throws<ArgumentOutOfRangeException>(() => UnsupervisedTrainer.Train(data.Image, data.Text, Small with { GateSharpness = 0 }));
        Assert.Equal("GateSharpness", range.ParamName);
        range = Assert.Throws<ArgumentOutOfRangeException>(() => UnsupervisedTrainer.Train(data.Image, data.Text, Small with { NearestAnchors = 21 }));
        Assert.Equal("NearestAnchors", range.ParamName);
        range = Assert.Throws<ArgumentOutOfRangeException>(() => UnsupervisedTrainer.Train(data.Image, data.Text, Small with { GraphAnchors = 60 }));
        Assert.Contains("60", range.Message);
    }
}
