using System.Numerics;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.Tests.Scratch;

public class HashFunctionChoiceTests
{
    private static readonly PairedData Data = PairedData.Create(120, 6, 4, 3, seed: 31);
    private static readonly PairedData Fresh = PairedData.Create(23, 6, 4, 3, seed: 32);

    private static ScratchOptions Options(int bits) => new() { Bits = bits, Anchors = 20, HashAnchors = 30, Iterations = 3, Seed = 7 };

    [Theory]
    [InlineData(10, 1)]
    [InlineData(11, 2)]
    [InlineData(120, 3)]
    [InlineData(1001, 4)]
    public void TheSplitIsASeededPartitionOfTheTrainingRows(int n, int seed)
    {
        var (fit, validation) = HashFunctionChoice.Split(n, seed);
        Assert.Equal((int)Math.Round(n * HashFunctionChoice.ValidationShare), validation.Length);
        Assert.Equal(Enumerable.Range(0, n), fit.Concat(validation).Order());
        Assert.Empty(fit.Intersect(validation));
        Assert.Equal(fit.Order(), fit);
        Assert.Equal(validation, HashFunctionChoice.Split(n, seed).Validation);
        if (n > 100) Assert.NotEqual(validation, HashFunctionChoice.Split(n, seed + 1).Validation);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(33)]
    public void TheChoiceIsReproducedFromTheFitRowsAndTheValidationRowsAlone(int bits)
    {
        // Reference: SCRATCH trained on the fit rows only, the validation rows ranked against them by a
        // plain MAP. Equal figures mean the choice trained on nothing else (no validation row, and it is
        // never given any row outside the training set) and scored exactly the validation rows.
        const int seed = 12;
        HashFunctionChoice choice = HashFunctionChoice.Choose(Data.Image, Data.Text, Data.Labels, Options(bits), seed, CancellationToken.None);
        var (fit, validation) = HashFunctionChoice.Split(Data.Image.Rows, seed);
        Assert.Equal((fit.Length, validation.Length), (choice.FitRows, choice.ValidationRows));
        ScratchModel regression = ScratchTrainer.Train(Data.Image.SelectRows(fit), Data.Text.SelectRows(fit), Data.Labels.SelectRows(fit),
            Options(bits) with { HashFunctions = ScratchHashFunctions.CodeRegression }).Model;
        foreach (var (model, figures) in new[] { (regression, choice.CodeRegression), (regression.WithHashFunctions(ScratchHashFunctions.Joint), choice.Joint) })
        {
            double i2t = PlainMap(model.EncodeImages(Data.Image.SelectRows(validation)), model.EncodeTexts(Data.Text.SelectRows(fit)), model.Layout.WordsPerCode, validation, fit);
            double t2i = PlainMap(model.EncodeTexts(Data.Text.SelectRows(validation)), model.EncodeImages(Data.Image.SelectRows(fit)), model.Layout.WordsPerCode, validation, fit);
            Assert.Equal(i2t, figures.ImageToText, 1e-12);
            Assert.Equal(t2i, figures.TextToImage, 1e-12);
        }
        bool regressionWins = choice.CodeRegression.ImageToText >= choice.Joint.ImageToText && choice.CodeRegression.TextToImage >= choice.Joint.TextToImage;
        Assert.Equal(regressionWins ? ScratchHashFunctions.CodeRegression : ScratchHashFunctions.Joint, choice.Chosen);
    }

    [Fact]
    public void AValidatedModelEncodesWithTheChosenFunctionsAndKeepsBoth()
    {
        ScratchTrainingResult result = ScratchTrainer.Train(Data.Image, Data.Text, Data.Labels, Options(16));
        HashFunctionChoice choice = Assert.IsType<HashFunctionChoice>(result.HashFunctionChoice);
        Assert.Equal(Data.Image.Rows, choice.FitRows + choice.ValidationRows);
        Assert.Equal(choice.Chosen, result.Model.HashFunctions);
        Assert.True(result.Model.HasCodeRegression);
        Assert.Equal(result.Model.WithHashFunctions(choice.Chosen).EncodeTexts(Fresh.Text), result.Model.EncodeTexts(Fresh.Text));
        // B does not depend on the hash functions.
        ScratchTrainingResult joint = ScratchTrainer.Train(Data.Image, Data.Text, Data.Labels, Options(16) with { HashFunctions = ScratchHashFunctions.Joint });
        Assert.Equal(joint.TrainingCodes, result.TrainingCodes);
        Assert.Null(joint.HashFunctionChoice);
        Assert.Throws<ArgumentOutOfRangeException>(() => result.Model.WithHashFunctions(ScratchHashFunctions.Validated));
    }

    [Fact]
    public void AValidatedModelRoundTripsThroughItsFile()
    {
        ScratchModel model = ScratchTrainer.Train(Data.Image, Data.Text, Data.Labels, Options(12)).Model;
        var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        ScratchModel loaded = ScratchModel.Load(stream);
        Assert.Equal(model.Options, loaded.Options);
        Assert.Equal(model.HashFunctions, loaded.HashFunctions);
        Assert.Equal(model.EncodeImages(Fresh.Image), loaded.EncodeImages(Fresh.Image));
        Assert.Equal(model.EncodeTexts(Fresh.Text), loaded.EncodeTexts(Fresh.Text));
        var other = model.HashFunctions == ScratchHashFunctions.Joint ? ScratchHashFunctions.CodeRegression : ScratchHashFunctions.Joint;
        Assert.Equal(model.WithHashFunctions(other).EncodeImages(Fresh.Image), loaded.WithHashFunctions(other).EncodeImages(Fresh.Image));
    }

    [Fact]
    public void TooFewRowsOrRealValuedTargetsKeepTheJointFunctions()
    {
        PairedData tiny = PairedData.Create(HashFunctionChoice.MinRows - 1, 6, 4, 3, seed: 33);
        ScratchTrainingResult small = ScratchTrainer.Train(tiny.Image, tiny.Text, tiny.Labels, Options(8) with { Anchors = 4, HashAnchors = 5 });
        Assert.Equal(ScratchHashFunctions.Joint, small.Model.HashFunctions);
        Assert.Equal(0, small.HashFunctionChoice!.ValidationRows);
        Assert.True(double.IsNaN(small.HashFunctionChoice.Joint.ImageToText));

        var real = new FeatureMatrix(Data.Labels.Rows, Data.Labels.Columns, Data.Labels.Values.Select((v, k) => v + 0.01 * (k % 7)).ToArray());
        ScratchTrainingResult embedded = ScratchTrainer.Train(Data.Image, Data.Text, real, Options(8));
        Assert.Equal(ScratchHashFunctions.Joint, embedded.Model.HashFunctions);
        Assert.Null(embedded.HashFunctionChoice);
        Assert.False(embedded.Model.HasCodeRegression);
    }

    // MAP over the whole ranking: database ranked by Hamming distance, ties to the lower index; relevant = shares a label.
    private static double PlainMap(ulong[] queries, ulong[] database, int words, int[] queryRows, int[] databaseRows)
    {
        double sum = 0;
        for (int q = 0; q < queryRows.Length; q++)
        {
            var order = Enumerable.Range(0, databaseRows.Length).OrderBy(i =>
            {
                int d = 0;
                for (int w = 0; w < words; w++) d += BitOperations.PopCount(queries[q * words + w] ^ database[i * words + w]);
                return d;
            }).ThenBy(i => i).ToArray();
            int relevant = 0;
            double ap = 0;
            for (int k = 0; k < order.Length; k++)
            {
                if (!SharesLabel(queryRows[q], databaseRows[order[k]])) continue;
                relevant++;
                ap += (double)relevant / (k + 1);
            }
            sum += relevant == 0 ? 0 : ap / relevant;
        }
        return sum / queryRows.Length;
    }

    private static bool SharesLabel(int a, int b)
    {
        for (int c = 0; c < Data.Labels.Columns; c++)
            if (Data.Labels[a, c] == 1 && Data.Labels[b, c] == 1) return true;
        return false;
    }
}
