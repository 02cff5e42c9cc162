using HammingIndex.Codes;
using HammingIndex.Training.Scratch;
using HammingIndex.Training.Tests.Scratch;
using HammingIndex.Training.Unsupervised;

namespace HammingIndex.Training.Tests.Unsupervised;

public class ImageWeightSelectionTests
{
    private static readonly UnsupervisedOptions Small = UnsupervisedTrainerTests.Small with { Hashing = new() { Anchors = 40, Iterations = 5 } };

    [Theory]
    [InlineData(10, 0.2, 1)]
    [InlineData(101, 0.05, 2)]
    [InlineData(333, 0.5, 3)]
    public void TheSplitIsADisjointCoverOfTheRowsOfTheRequestedSizeAndDependsOnlyOnTheSeed(int n, double fraction, int seed)
    {
        var (fit, validation) = ImageWeightSelection.Split(n, fraction, seed);
        Assert.Equal((int)Math.Round(n * fraction), validation.Length);
        Assert.Equal(Enumerable.Range(0, n), fit.Concat(validation).Order());
        Assert.Equal(fit.Order(), fit);
        Assert.Equal(validation.Order(), validation);
        Assert.Equal(validation, ImageWeightSelection.Split(n, fraction, seed).Validation);
        Assert.NotEqual(validation, ImageWeightSelection.Split(n, fraction, seed + 1).Validation);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2000, 2)]
    [InlineData(2001, 3)]
    [InlineData(16000, 4)]
    public void TheScoredRowsAreAllHeldOutRowsUpToTheCapElseASeededAscendingSubsetOfThem(int held, int seed)
    {
        int[] validation = Enumerable.Range(0, held).Select(i => 3 * i + 1).ToArray();
        int[] scored = ImageWeightSelection.Scored(validation, seed);
        if (held <= ImageWeightSelection.MaxScoredPairs)
        {
            Assert.Equal(validation, scored);
            return;
        }
        Assert.Equal(ImageWeightSelection.MaxScoredPairs, scored.Length);
        Assert.Equal(scored.Distinct().Order(), scored); // distinct and ascending
        Assert.Subset(validation.ToHashSet(), scored.ToHashSet());
        Assert.Equal(scored, ImageWeightSelection.Scored(validation, seed));
        Assert.NotEqual(scored, ImageWeightSelection.Scored(validation, seed + 1));
    }

    [Fact]
    public void EachCandidateIsTrainedOnTheFitRowsOnlyAndTheBestHeldOutPartnerMapWins()
    {
        var data = PairedData.Create(200, 10, 6, 4, seed: 5);
        double[] candidates = [0.8, 0.2, 0.5];
        var options = Small with { Seed = 9, ImageWeightCandidates = candidates };
        var (fit, validation) = ImageWeightSelection.Split(200, options.ValidationFraction, options.Seed);
        var seen = new List<double>();
        var (chosen, scores) = ImageWeightSelection.Choose(data.Image, data.Text, options, (x, y, o) =>
        {
            // The held-out rows never reach a training run: it gets exactly the fit rows, in order.
            Assert.Equal(data.Image.SelectRows(fit).Values, x.Values);
            Assert.Equal(data.Text.SelectRows(fit).Values, y.Values);
            Assert.False(o.SelectsImageWeight);
            seen.Add(o.ImageWeight);
            return UnsupervisedTrainer.Train(x, y, o).Model;
        }, CancellationToken.None);

        Assert.Equal(candidates, seen);
        Assert.Equal(3, scores.Length);
        Assert.Equal(candidates[Array.IndexOf(scores, scores.Max())], chosen);
        // Each score is the partner MAP of that candidate's model on the held-out pairs.
        ScratchModel second = UnsupervisedTrainer.Train(data.Image.SelectRows(fit), data.Text.SelectRows(fit), Small with { Seed = 9, ImageWeight = 0.2 }).Model;
        FeatureMatrix heldImage = data.Image.SelectRows(validation), heldText = data.Text.SelectRows(validation);
        Assert.Equal(ImageWeightSelection.PartnerMap(second.EncodeImages(heldImage), second.EncodeTexts(heldText), second.Layout.Bits), scores[1], 12);
    }

    [Fact]
    public void TrainingWithCandidatesEqualsTrainingWithTheChosenWeight()
    {
        var data = PairedData.Create(220, 10, 6, 4, seed: 6);
        UnsupervisedTrainingResult auto = UnsupervisedTrainer.Train(data.Image, data.Text, Small with { Seed = 2, ImageWeightCandidates = [0.3, 0.7] });
        Assert.Contains(auto.ImageWeight, new[] { 0.3, 0.7 });
        Assert.NotNull(auto.ImageWeightScores);
        Assert.Equal(2, auto.ImageWeightScores!.Count);
        Assert.Equal(auto.ImageWeightScores[auto.ImageWeight == 0.3 ? 0 : 1], auto.ImageWeightScores.Max());
        UnsupervisedTrainingResult fixedWeight = UnsupervisedTrainer.Train(data.Image, data.Text, Small with { Seed = 2, ImageWeight = auto.ImageWeight });
        Assert.Equal(fixedWeight.TrainingCodes, auto.TrainingCodes);
        Assert.Null(fixedWeight.ImageWeightScores);
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(2, 13)]
    [InlineData(3, 64)]
    [InlineData(4, 70)]
    public void PartnerMapMatchesAPlainReciprocalRankReference(int seed, int bits)
    {
        var random = new Random(seed);
        var layout = new CodeLayout(bits);
        int n = 1 + random.Next(60);
        ulong[] RandomCodes()
        {
            var codes = new ulong[n * layout.WordsPerCode];
            for (int k = 0; k < codes.Length; k++)
            {
                // Few distinct bits so that ties are common.
                codes[k] = (ulong)random.NextInt64() & (ulong)random.NextInt64() & (ulong)random.NextInt64();
                if (k % layout.WordsPerCode == layout.WordsPerCode - 1) codes[k] &= layout.LastWordMask;
            }
            return codes;
        }
        ulong[] image = RandomCodes(), text = RandomCodes();
        int Distance(ulong[] a, int i, ulong[] b, int j)
        {
            int d = 0;
            for (int w = 0; w < layout.WordsPerCode; w++) d += System.Numerics.BitOperations.PopCount(a[i * layout.WordsPerCode + w] ^ b[j * layout.WordsPerCode + w]);
            return d;
        }
        double Reference(ulong[] queries, ulong[] database)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                int own = Distance(queries, i, database, i), rank = 1;
                for (int j = 0; j < n; j++)
                {
                    int d = Distance(queries, i, database, j);
                    if (d < own || d == own && j < i) rank++; // ties: lower database index first
                }
                sum += 1.0 / rank;
            }
            return sum / n;
        }
        double expected = (Reference(image, text) + Reference(text, image)) / 2;
        Assert.Equal(expected, ImageWeightSelection.PartnerMap(image, text, bits), 12);
        // Distinct codes shared by both modalities: every partner is found first.
        var distinct = new ulong[n * layout.WordsPerCode];
        for (int i = 0; i < n; i++) distinct[i * layout.WordsPerCode] = (ulong)i;
        Assert.Equal(1.0, ImageWeightSelection.PartnerMap(distinct, distinct, bits), 12);
    }

    [Fact]
    public void BadCandidatesFractionsAndSplitsGetNamedErrors()
    {
        var data = PairedData.Create(60, 6, 4, 3, seed: 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => UnsupervisedTrainer.Train(data.Image, data.Text, Small with { ImageWeightCandidates = [0.5, 1.5] }));
        Assert.Equal("ImageWeightCandidates", e.ParamName);
        Assert.Contains("1.5", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => UnsupervisedTrainer.Train(data.Image, data.Text, Small with { ImageWeightCandidates = [double.NaN] }));
        Assert.Equal("ImageWeightCandidates", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => UnsupervisedTrainer.Train(data.Image, data.Text, Small with { ValidationFraction = 0.9 }));
        Assert.Equal("ValidationFraction", e.ParamName);
        // 60 pairs minus 12 held out leaves 48, fewer than the 50 kernel anchors.
        e = Assert.Throws<ArgumentOutOfRangeException>(() => UnsupervisedTrainer.Train(data.Image, data.Text,
            Small with { ImageWeightCandidates = [0.5], Hashing = new() { Anchors = 50 } }));
        Assert.Contains("48", e.Message);
        var a = Assert.Throws<ArgumentException>(() => ImageWeightSelection.PartnerMap(new ulong[3], new ulong[2], 16));
        Assert.Equal("textCodes", a.ParamName);
    }
}
