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

public class ScratchSearchTests
{
    private static CrossModalSplit Split()
    {
        var data = PairedData.Create(220, 5, 3, 4, seed: 16, multiLabel: false);
        var classes = new int[data.Labels.Rows];
        for (int i = 0; i < classes.Length; i++) classes[i] = data.Labels.Row(i).IndexOf(1.0);
        return new CrossModalSplit(data.Image, data.Text, LabelSet.FromClasses(classes, 4));
    }

    private static readonly ScratchOptions Base = new() { Bits = 16, Iterations = 3, Anchors = 30, Seed = 2 };

    private static ScratchTuningOptions Tuning(DatabaseProtocol protocol = DatabaseProtocol.TrainingCodes) => new()
    {
        Budget = TimeSpan.FromHours(1), MaxTrials = 5, ValidationFraction = 0.3, Seed = 9, Protocol = protocol,
        Space = new ScratchSearchSpace { Anchors = (10, 60), Iterations = (1, 4) },
    };

    [Theory]
    [InlineData(DatabaseProtocol.TrainingCodes)]
    [InlineData(DatabaseProtocol.EncodedDatabase)]
    public void TrialsTrainOnTheFitRowsOnlyAndAreScoredOnTheValidationRows(DatabaseProtocol protocol)
    {
        CrossModalSplit split = Split();
        var seen = new List<ScratchTrial>();
        ScratchSearchResult result = ScratchTuning.Search(split, Base, Tuning(protocol), new Progress(seen.Add));

        // The split: disjoint, complete, the seeded partition.
        Assert.Empty(result.FitRows.Intersect(result.ValidationRows));
        Assert.Equal(Enumerable.Range(0, split.Count), result.FitRows.Concat(result.ValidationRows).Order());
        Assert.Equal(ScratchTuning.SplitForValidation(split.Count, 0.3, 9).Validation, result.ValidationRows);

        // Every trial, recomputed by hand from the fit rows alone, scores the same: no validation row was trained on.
        CrossModalSplit fit = split.SelectRows(result.FitRows), validation = split.SelectRows(result.ValidationRows);
        Assert.Equal(5, result.Trials.Count);
        Assert.Equal(seen, result.Trials);
        foreach (ScratchTrial trial in result.Trials.Take(3))
        {
            ScratchTrainingResult trained = ScratchTrainer.Train(fit.Images, fit.Texts, fit.Labels.ToIndicatorMatrix(), trial.Options);
            ulong[] database = protocol == DatabaseProtocol.TrainingCodes ? trained.TrainingCodes : trained.Model.EncodeImages(fit.Images);
            double expected = RetrievalMetrics.Evaluate(trained.Model.EncodeTexts(validation.Texts), database, 16, validation.Labels, fit.Labels).Map;
            Assert.Equal(expected, trial.MapTextToImage);
            Assert.Equal(protocol, trial.Protocol);
        }
    }

    [Fact]
    public void TheDefaultsAreTrialZeroAndTheChoiceIsNeverBelowThem()
    {
        ScratchSearchResult result = ScratchTuning.Search(Split(), Base, Tuning());
        // The validated default is scored with the joint functions, like every drawn trial.
        Assert.Equal(ScratchHashFunctions.Validated, Base.HashFunctions);
        Assert.Equal(Base with { HashFunctions = ScratchHashFunctions.Joint }, result.Defaults.Options);
        Assert.Equal("defaults", result.Defaults.Phase);
        Assert.True(result.Best.MeanMap >= result.Defaults.MeanMap);
        ScratchTrial top = result.Trials.MaxBy(t => t.MeanMap)!;
        Assert.Equal(top.MeanMap >= result.Defaults.MeanMap + 0.005 ? top : result.Defaults, result.Best);
        Assert.All(result.Trials.Skip(1), t =>
        {
            Assert.InRange(t.Options.Anchors, 10, 60);
            Assert.InRange(t.Options.Iterations, 1, 4);
            Assert.Equal(Base.Bits, t.Options.Bits);
        });
    }

    [Fact]
    public void TheTrialsScoreTheJointFunctionsAndTheModelOptionsRestoreTheValidatedOnes()
    {
        CrossModalSplit split = Split();
        ScratchSearchResult result = ScratchTuning.Search(split, Base, Tuning() with { MaxTrials = 3 });
        Assert.All(result.Trials, t => Assert.Equal(ScratchHashFunctions.Joint, t.Options.HashFunctions));

        // Trial 0 is the defaults trained once with the joint functions on the fit rows (not the validated choice's own split).
        CrossModalSplit fit = split.SelectRows(result.FitRows), validation = split.SelectRows(result.ValidationRows);
        ScratchTrainingResult joint = ScratchTrainer.Train(fit.Images, fit.Texts, fit.Labels.ToIndicatorMatrix(), Base with { HashFunctions = ScratchHashFunctions.Joint });
        Assert.Null(joint.HashFunctionChoice);
        double expected = RetrievalMetrics.Evaluate(joint.Model.EncodeImages(validation.Images), joint.TrainingCodes, 16, validation.Labels, fit.Labels).Map;
        Assert.Equal(expected, result.Defaults.MapImageToText);

        // The final model's options: the chosen setting with the validated functions.
        Assert.Equal(result.Best.Options with { HashFunctions = ScratchHashFunctions.Validated }, result.ModelOptions);

        // A base that fixes the functions keeps them, in the trials and in the model.
        ScratchSearchResult fixedJoint = ScratchTuning.Search(split, Base with { HashFunctions = ScratchHashFunctions.Joint }, Tuning() with { MaxTrials = 2 });
        Assert.Equal(fixedJoint.Best.Options, fixedJoint.ModelOptions);
        Assert.Equal(ScratchHashFunctions.Joint, fixedJoint.ModelOptions.HashFunctions);
        ScratchSearchResult fixedRegression = ScratchTuning.Search(split, Base with { HashFunctions = ScratchHashFunctions.CodeRegression }, Tuning() with { MaxTrials = 1 });
        Assert.Equal(ScratchHashFunctions.CodeRegression, fixedRegression.Defaults.Options.HashFunctions);
        Assert.Equal(fixedRegression.Best.Options, fixedRegression.ModelOptions);
    }

    [Fact]
    public void ATunedModelWithCodeRegressionRoundTripsThroughItsFile()
    {
        CrossModalSplit split = Split();
        var tuning = Tuning() with { MaxTrials = 3, Space = new ScratchSearchSpace { Anchors = (10, 60), Iterations = (1, 4), CodeRegression = true } };
        ScratchSearchResult result = ScratchTuning.Search(split, Base with { HashFunctions = ScratchHashFunctions.CodeRegression }, tuning);
        ScratchModel model = ScratchTrainer.Train(split.Images, split.Texts, split.Labels.ToIndicatorMatrix(), result.Best.Options).Model;
        var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        ScratchModel loaded = ScratchModel.Load(stream);
        Assert.Equal(result.Best.Options, loaded.Options);
        Assert.Equal(ScratchHashFunctions.CodeRegression, loaded.HashFunctions);
        Assert.Equal(model.EncodeImages(split.Images), loaded.EncodeImages(split.Images));
        Assert.Equal(model.EncodeTexts(split.Texts), loaded.EncodeTexts(split.Texts));
    }

    [Fact]
    public void ACancelledSearchStopsAfterTheDefaults()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        ScratchSearchResult result = ScratchTuning.Search(Split(), Base, Tuning(), cancellationToken: cancel.Token);
        Assert.True(result.Cancelled);
        Assert.Single(result.Trials);
        Assert.Equal(result.Defaults, result.Best);
    }

    private sealed class Progress(Action<ScratchTrial> report) : IProgress<ScratchTrial>
    {
        public void Report(ScratchTrial value) => report(value);
    }
}
