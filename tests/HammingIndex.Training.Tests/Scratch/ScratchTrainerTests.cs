using HammingIndex.Training.Scratch;
using Microsoft.Extensions.Logging;

namespace HammingIndex.Training.Tests.Scratch;

public class ScratchTrainerTests
{
    private static readonly PairedData Data = PairedData.Create(120, 5, 3, 4, seed: 2);
    private static readonly ScratchOptions Small = new() { Bits = 8, Anchors = 10, Iterations = 3 };

    private static FeatureMatrix With(FeatureMatrix m, int row, int column, double value)
    {
        var values = m.Values.ToArray();
        values[row * m.Columns + column] = value;
        return new FeatureMatrix(m.Rows, m.Columns, values);
    }

    private static FeatureMatrix Rows(FeatureMatrix m, int rows) => new(rows, m.Columns, m.Values[..(rows * m.Columns)]);

    [Fact]
    public void NullMatricesAreRefusedByName()
    {
        Assert.Equal("image", Assert.Throws<ArgumentNullException>(() => ScratchTrainer.Train(null!, Data.Text, Data.Labels, Small)).ParamName);
        Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => ScratchTrainer.Train(Data.Image, null!, Data.Labels, Small)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentNullException>(() => ScratchTrainer.Train(Data.Image, Data.Text, null!, Small)).ParamName);
    }

    [Fact]
    public void RowCountsMustAgree()
    {
        var text = Assert.Throws<ArgumentException>(() => ScratchTrainer.Train(Data.Image, Rows(Data.Text, 119), Data.Labels, Small));
        Assert.Equal("text", text.ParamName);
        Assert.Contains("119", text.Message);
        var labels = Assert.Throws<ArgumentException>(() => ScratchTrainer.Train(Data.Image, Data.Text, Rows(Data.Labels, 100), Small));
        Assert.Equal("labels", labels.ParamName);
    }

    [Theory]
    [InlineData("image", double.NaN)]
    [InlineData("text", double.PositiveInfinity)]
    [InlineData("labels", double.NaN)]
    public void NonFiniteValuesAreRefusedWithTheirPosition(string which, double bad)
    {
        var image = which == "image" ? With(Data.Image, 17, 2, bad) : Data.Image;
        var text = which == "text" ? With(Data.Text, 17, 2, bad) : Data.Text;
        var labels = which == "labels" ? With(Data.Labels, 17, 2, bad) : Data.Labels;
        var ex = Assert.Throws<ArgumentException>(() => ScratchTrainer.Train(image, text, labels, Small));
        Assert.Equal(which, ex.ParamName);
        Assert.Contains("row 17, column 2", ex.Message);
    }

    [Fact]
    public void AnAllZeroLabelRowIsRefusedUnlessAllowedThenWarned()
    {
        var labels = Data.Labels;
        for (int k = 0; k < labels.Columns; k++) labels = With(labels, 33, k, 0);
        var ex = Assert.Throws<ArgumentException>(() => ScratchTrainer.Train(Data.Image, Data.Text, labels, Small));
        Assert.Equal("labels", ex.ParamName);
        Assert.Contains("row 33", ex.Message);

        var logger = new RecordingLogger();
        var result = ScratchTrainer.Train(Data.Image, Data.Text, labels, Small with { AllowUnlabeledRows = true }, logger: logger);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("1 training pairs have no label"));
        Assert.Equal(Data.Image.Rows, result.Model.Layout.ValidateCodes(result.TrainingCodes));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(4097)]
    public void BitsOutsideOneTo4096AreRefused(int bits)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ScratchTrainer.Train(Data.Image, Data.Text, Data.Labels, Small with { Bits = bits }));
        Assert.Equal("Bits", ex.ParamName);
        Assert.Equal(bits, ex.ActualValue);
    }

    [Fact]
    public void MoreAnchorsThanPairsAreRefused()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ScratchTrainer.Train(Data.Image, Data.Text, Data.Labels, Small with { Anchors = 121 }));
        Assert.Equal(121, ex.ActualValue);
        Assert.Contains("Anchors (121)", ex.Message);
    }

    [Fact]
    public void ObjectivesAreReportedAndLoggedPerIterationAndDoNotIncrease()
    {
        var reports = new List<ScratchIterationReport>();
        var logger = new RecordingLogger();
        var result = ScratchTrainer.Train(Data.Image, Data.Text, Data.Labels, Small with { Iterations = 6 }, new SyncProgress(reports.Add), logger);
        Assert.Equal(Enumerable.Range(1, 6), reports.Select(r => r.Iteration));
        Assert.Equal(result.Objectives, reports.Select(r => r.Objective));
        Assert.Equal(6, logger.Entries.Count(e => e.Message.StartsWith("SCRATCH iteration", StringComparison.Ordinal)));
        for (int i = 1; i < 6; i++) Assert.True(result.Objectives[i] <= result.Objectives[i - 1] * (1 + 1e-9));
    }

    [Fact]
    public void TheSameSeedGivesTheSameModelAndAnotherSeedAnother()
    {
        var a = ScratchTrainer.Train(Data.Image, Data.Text, Data.Labels, Small with { Seed = 4 });
        var b = ScratchTrainer.Train(Data.Image, Data.Text, Data.Labels, Small with { Seed = 4, MaxDegreeOfParallelism = 1 });
        var c = ScratchTrainer.Train(Data.Image, Data.Text, Data.Labels, Small with { Seed = 5 });
        Assert.Equal(a.TrainingCodes, b.TrainingCodes);
        Assert.Equal(a.Model.Rotation.ToArray(), b.Model.Rotation.ToArray());
        Assert.NotEqual(a.Model.Rotation.ToArray(), c.Model.Rotation.ToArray());
    }

    private sealed class SyncProgress(Action<ScratchIterationReport> report) : IProgress<ScratchIterationReport>
    {
        public void Report(ScratchIterationReport value) => report(value);
    }

    internal sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
