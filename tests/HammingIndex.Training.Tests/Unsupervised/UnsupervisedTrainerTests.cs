using HammingIndex.Training.Evaluation;
using HammingIndex.Training.Scratch;
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

    [Theory]
    [InlineData(0, 10)]
    [InlineData(3, 0.5)]
    public void TheObjectiveWithCodeCouplingNeverIncreases(double imageCoupling, double textCoupling)
    {
        foreach (int seed in new[] { 1, 2 })
        {
            var data = PairedData.Create(300, 12, 7, 5, seed);
            var options = Small with { Seed = seed, Hashing = Small.Hashing with { ImageCodeCoupling = imageCoupling, TextCodeCoupling = textCoupling } };
            IReadOnlyList<double> objectives = UnsupervisedTrainer.Train(data.Image, data.Text, options).Hashing.Objectives;
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
    public void CodeRegressionReproducesTheTrainingCodesBetterThanTheJointFunctionsAndLeavesThemUnchanged()
    {
        var data = PairedData.Create(300, 12, 7, 5, seed: 6);
        UnsupervisedTrainingResult result = UnsupervisedTrainer.Train(data.Image, data.Text, Small with { Seed = 6, Hashing = Small.Hashing with { HashFunctions = ScratchHashFunctions.CodeRegression } });
        Assert.Equal(ScratchHashFunctions.CodeRegression, result.Model.HashFunctions);
        Assert.Null(result.HashFunctionScores); // given, not chosen
        ScratchModel joint = result.Model.WithHashFunctions(ScratchHashFunctions.Joint);
        // Code regression is fitted to B itself, so on the training rows it flips fewer bits of B than sign(R W phi).
        long regressionFlips = Flips(result.Model.EncodeImages(data.Image), result.TrainingCodes) + Flips(result.Model.EncodeTexts(data.Text), result.TrainingCodes);
        long jointFlips = Flips(joint.EncodeImages(data.Image), result.TrainingCodes) + Flips(joint.EncodeTexts(data.Text), result.TrainingCodes);
        Assert.True(regressionFlips < jointFlips, $"code regression flips {regressionFlips} bits of B, the joint functions {jointFlips}");

        UnsupervisedTrainingResult asked = UnsupervisedTrainer.Train(data.Image, data.Text, Small with { Seed = 6, Hashing = Small.Hashing with { HashFunctions = ScratchHashFunctions.Joint } });
        Assert.Equal(ScratchHashFunctions.Joint, asked.Model.HashFunctions);
        Assert.False(asked.Model.HasCodeRegression);
        Assert.Equal(result.TrainingCodes, asked.TrainingCodes); // the hash functions never change B
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void TheDefaultChoiceOfHashFunctionsKeepsTheKindWithTheHigherHeldOutPartnerMap(int seed)
    {
        var data = PairedData.Create(250, 12, 7, 5, seed);
        UnsupervisedOptions options = Small with { Seed = seed };
        Assert.Equal(ScratchHashFunctions.Validated, options.Hashing.HashFunctions);
        UnsupervisedTrainingResult chosen = UnsupervisedTrainer.Train(data.Image, data.Text, options);
        Assert.NotNull(chosen.HashFunctionScores);

        // Plain reference: the same held-out split, one code-regression model on the other rows, both kinds scored.
        var (fit, held) = ImageWeightSelection.Split(250, options.ValidationFraction, seed);
        ScratchModel regression = UnsupervisedTrainer.Train(data.Image.SelectRows(fit), data.Text.SelectRows(fit),
            options with { Hashing = options.Hashing with { HashFunctions = ScratchHashFunctions.CodeRegression } }).Model;
        FeatureMatrix heldImage = data.Image.SelectRows(held), heldText = data.Text.SelectRows(held);
        double Score(ScratchModel m) => ImageWeightSelection.PartnerMap(m.EncodeImages(heldImage), m.EncodeTexts(heldText), m.Layout.Bits);
        double jointScore = Score(regression.WithHashFunctions(ScratchHashFunctions.Joint)), regressionScore = Score(regression);
        Assert.Equal(jointScore, chosen.HashFunctionScores!.Value.Joint, 12);
        Assert.Equal(regressionScore, chosen.HashFunctionScores!.Value.CodeRegression, 12);
        ScratchHashFunctions expected = regressionScore >= jointScore ? ScratchHashFunctions.CodeRegression : ScratchHashFunctions.Joint;
        Assert.Equal(expected, chosen.Model.HashFunctions);

        // The final model is the one trained on all pairs with that kind given.
        UnsupervisedTrainingResult given = UnsupervisedTrainer.Train(data.Image, data.Text, options with { Hashing = options.Hashing with { HashFunctions = expected } });
        Assert.Equal(given.TrainingCodes, chosen.TrainingCodes);
        Assert.Equal(given.Model.EncodeImages(heldImage), chosen.Model.EncodeImages(heldImage));
    }

    [Fact]
    public void TooFewPairsToHoldOutKeepTheJointFunctions()
    {
        var data = PairedData.Create(45, 6, 4, 3, seed: 2); // 80 % = 36 fit rows < 40 kernel anchors
        UnsupervisedTrainingResult result = UnsupervisedTrainer.Train(data.Image, data.Text, Small with { Seed = 2 });
        Assert.Null(result.HashFunctionScores);
        Assert.Equal(ScratchHashFunctions.Joint, result.Model.HashFunctions);
    }

    private static long Flips(ulong[] a, ulong[] b)
    {
        Assert.Equal(a.Length, b.Length);
        long flips = 0;
        for (int i = 0; i < a.Length; i++) flips += System.Numerics.BitOperations.PopCount(a[i] ^ b[i]);
        return flips;
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
