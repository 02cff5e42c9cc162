using HammingIndex.Training.Datasets;
using HammingIndex.Training.Evaluation;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.Tests.Scratch;

public class ScratchTuningTests
{
    private static CrossModalSplit Split()
    {
        var data = PairedData.Create(260, 5, 3, 4, seed: 6, multiLabel: false);
        var classes = new int[data.Labels.Rows];
        for (int i = 0; i < classes.Length; i++) classes[i] = data.Labels.Row(i).IndexOf(1.0);
        return new CrossModalSplit(new FeatureMatrix(data.Image.Rows, data.Image.Columns, data.Image.Values.ToArray()),
            new FeatureMatrix(data.Text.Rows, data.Text.Columns, data.Text.Values.ToArray()), LabelSet.FromClasses(classes, 4));
    }

    [Fact]
    public void EverySettingIsScoredOnTheHeldOutPairsInGridOrder()
    {
        var split = Split();
        var grid = new ScratchTuningGrid { Mu = [10, 1000], Alpha = [500], Gamma = [5], Anchors = [20, 40] };
        var baseOptions = new ScratchOptions { Bits = 16, Iterations = 3, Seed = 3 };
        var seen = new List<ScratchTuningResult>();
        var results = ScratchTuning.GridSearch(split, grid, baseOptions, 0.25, new SyncProgress(seen.Add));

        Assert.Equal(seen, results);
        Assert.Equal([(10.0, 20), (10.0, 40), (1000.0, 20), (1000.0, 40)], results.Select(r => (r.Options.Mu, r.Options.Anchors)));
        Assert.Equal(results.MaxBy(r => r.MeanMap), ScratchTuning.Best(results));

        // Recompute one setting by hand: train on the fit rows, query with the validation rows.
        var (fit, validation) = ScratchTuning.SplitForValidation(split.Count, 0.25, seed: 3);
        var fitSplit = split.SelectRows(fit);
        var validationSplit = split.SelectRows(validation);
        var trained = ScratchTrainer.Train(fitSplit.Images, fitSplit.Texts, fitSplit.Labels.ToIndicatorMatrix(), results[3].Options);
        double expected = RetrievalMetrics.Evaluate(trained.Model.EncodeTexts(validationSplit.Texts), trained.TrainingCodes, 16,
            validationSplit.Labels, fitSplit.Labels).Map;
        Assert.Equal(expected, results[3].MapTextToImage);
    }

    [Fact]
    public void TheValidationSplitIsASeededPartition()
    {
        var (fit, validation) = ScratchTuning.SplitForValidation(101, 0.2, seed: 7);
        Assert.Equal(20, validation.Length);
        Assert.Equal(Enumerable.Range(0, 101), fit.Concat(validation).Order());
        Assert.Equal(validation, ScratchTuning.SplitForValidation(101, 0.2, seed: 7).Validation);
        Assert.NotEqual(validation, ScratchTuning.SplitForValidation(101, 0.2, seed: 8).Validation);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(0.001)]
    public void AFractionLeavingAnEmptySideIsRefused(double fraction)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ScratchTuning.SplitForValidation(100, fraction, 0));
        Assert.Equal("validationFraction", ex.ParamName);
    }

    [Fact]
    public void AnchorCountsBeyondTheRemainingPairsAreRefused()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ScratchTuning.GridSearch(Split(), new ScratchTuningGrid { Anchors = [250] }, new ScratchOptions { Bits = 8 }, 0.5));
        Assert.Equal(250, ex.ActualValue);
    }

    private sealed class SyncProgress(Action<ScratchTuningResult> report) : IProgress<ScratchTuningResult>
    {
        public void Report(ScratchTuningResult value) => report(value);
    }
}
