using System.Globalization;
using System.Text.RegularExpressions;
using HammingIndex.Training.Scratch;
using HammingIndex.Training.Unsupervised;

namespace HammingIndex.Cli.Tests.Commands;

/// <summary>train without labels (the graph trainer) and eval of its model, labels used for scoring only.</summary>
public sealed class UnsupervisedTrainTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TwoViewData _data;

    public UnsupervisedTrainTests() => _data = new TwoViewData(_dir.Path);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Train_without_labels_writes_the_model_the_library_trains_and_eval_scores_it()
    {
        string model = _dir.File("u.model");
        var r = CliRunner.Run("train", "--images", _data.ImagesTrain, "--texts", _data.TextsTrain, "--bits", "16", "--anchors", "20",
            "--graph-anchors", "12", "--image-weight", "0.4", "--iterations", "5", "--seed", "3", "--out", model);
        Assert.True(r.Status == 0, r.Error);
        Assert.Contains("unsupervised", r.Out);

        ScratchModel loaded = ScratchModel.Load(model);
        UnsupervisedTrainingResult expected = UnsupervisedTrainer.Train(_data.TrainImages, _data.TrainTexts, new UnsupervisedOptions
        {
            Bits = 16, GraphAnchors = 12, ImageWeight = 0.4, Seed = 3, Hashing = new ScratchOptions { Anchors = 20, Iterations = 5 },
        });
        Assert.Equal(expected.Model.EncodeImages(_data.TestImages), loaded.EncodeImages(_data.TestImages));
        Assert.Equal(expected.Model.EncodeTexts(_data.TestTexts), loaded.EncodeTexts(_data.TestTexts));

        var eval = CliRunner.Run("eval", "--model", model, "--data", _dir.Path, "--no-plots");
        Assert.True(eval.Status == 0, eval.Error);
        // The model table row is named SCRATCH (same model file); in the encoded database (what an index
        // holds) it must beat LSH in both directions without having seen a label.
        var maps = new Dictionary<string, double>();
        foreach (Match m in Regex.Matches(eval.Out, @"│ (SCRATCH|LSH)\s*│ encoded database\s*│ (I->T|T->I)\s*│ ([0-9.]+)"))
            maps[m.Groups[1].Value + m.Groups[2].Value] = double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        Assert.Equal(4, maps.Count);
        Assert.True(maps["SCRATCHI->T"] > maps["LSHI->T"] + 0.1 && maps["SCRATCHT->I"] > maps["LSHT->I"] + 0.1, eval.Out);
    }

    [Fact]
    public void Unsupervised_with_labels_and_too_few_pairs_are_clean_errors()
    {
        CliRunner.AssertCleanError(CliRunner.Run("train", "--unsupervised", "--images", _data.ImagesTrain, "--texts", _data.TextsTrain,
            "--labels", _data.LabelsTrain, "--out", _dir.File("x.model")), 2, "drop --labels");
        CliRunner.AssertCleanError(CliRunner.Run("train", "--images", _data.ImagesTrain, "--texts", _data.TextsTrain, "--graph-anchors", "500",
            "--anchors", "20", "--out", _dir.File("y.model")), 1, "fewer than the anchors");
        Assert.False(File.Exists(_dir.File("y.model")));
    }
}
