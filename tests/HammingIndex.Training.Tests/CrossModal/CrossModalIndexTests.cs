using HammingIndex.Kernels;
using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Training.CrossModal;
using HammingIndex.Training.Scratch;
using HammingIndex.Training.Tests.Scratch;

namespace HammingIndex.Training.Tests.CrossModal;

public sealed class CrossModalIndexTests : IDisposable
{
    private static readonly PairedData Data = PairedData.Create(300, 6, 4, 3, seed: 11);
    private static readonly PairedData Queries = PairedData.Create(20, 6, 4, 3, seed: 12);
    private static readonly ScratchModel Model =
        ScratchTrainer.Train(Data.Image, Data.Text, Data.Labels, new ScratchOptions { Bits = 32, Anchors = 40, Iterations = 5, Seed = 3 }).Model;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cmi-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private static long[] Ids(int count, long offset) => Enumerable.Range(0, count).Select(i => offset + i).ToArray();

    /// <summary>Plain reference: encode every stored row, sort by (distance, id).</summary>
    private static Neighbor[] Reference(ulong[] query, ulong[] database, long[] ids, int words, int k) =>
        Enumerable.Range(0, ids.Length)
            .Select(i => new Neighbor(ids[i], HammingKernels.Distance(query, database.AsSpan(i * words, words))))
            .Order().Take(k).ToArray();

    /// <summary>An in-memory index holding the training texts (ids from 1000), with their ids and codes.</summary>
    private static (CrossModalIndex Index, long[] Ids, ulong[] Texts) IndexOfTexts()
    {
        var index = CrossModalIndex.CreateInMemory(Model);
        long[] ids = Ids(Data.Text.Rows, 1000);
        index.Add(Modality.Text, Data.Text, ids);
        return (index, ids, Model.EncodeTexts(Data.Text));
    }

    [Fact]
    public void TextsFoundByAnImageAreTheNearestEncodedTexts()
    {
        var (index, ids, texts) = IndexOfTexts();
        using var _ = index;
        int words = Model.Layout.WordsPerCode;
        for (int q = 0; q < Queries.Image.Rows; q++)
        {
            ulong[] query = Model.EncodeImages(new FeatureMatrix(1, Queries.Image.Columns, Queries.Image.Row(q).ToArray()));
            SearchResultAssert(Reference(query, texts, ids, words, 10), index.TopK(Modality.Image, Queries.Image.Row(q), Modality.Text, 10).Neighbors);
        }
    }

    [Fact]
    public void RadiusSearchReturnsEveryStoredItemWithinTheRadius()
    {
        using var index = CrossModalIndex.CreateInMemory(Model);
        long[] ids = Ids(Data.Image.Rows, 0);
        index.Add(Modality.Image, Data.Image, ids);
        ulong[] images = Model.EncodeImages(Data.Image);
        int words = Model.Layout.WordsPerCode;
        ulong[] query = Model.EncodeTexts(new FeatureMatrix(1, Queries.Text.Columns, Queries.Text.Row(0).ToArray()));
        Neighbor[] expected = Reference(query, images, ids, words, ids.Length).Where(n => n.Distance <= 6).ToArray();
        SearchResultAssert(expected, index.WithinRadius(Modality.Text, Queries.Text.Row(0), Modality.Image, 6).Neighbors);
    }

    [Fact]
    public void BatchesAnswerEachRowAsALoneQueryWould()
    {
        var (index, ids, texts) = IndexOfTexts();
        using var _ = index;
        ulong[] queries = Model.EncodeImages(Queries.Image);
        int words = Model.Layout.WordsPerCode;
        SearchResult[] nearest = index.TopKBatch(Modality.Image, Queries.Image, Modality.Text, 9);
        SearchResult[] within = index.WithinRadiusBatch(Modality.Image, Queries.Image, Modality.Text, 7);
        Assert.Equal(Queries.Image.Rows, nearest.Length);
        Assert.Equal(Queries.Image.Rows, within.Length);
        for (int q = 0; q < Queries.Image.Rows; q++)
        {
            ulong[] query = queries.AsSpan(q * words, words).ToArray();
            SearchResultAssert(Reference(query, texts, ids, words, 9), nearest[q].Neighbors);
            SearchResultAssert(Reference(query, texts, ids, words, ids.Length).Where(n => n.Distance <= 7).ToArray(), within[q].Neighbors);
        }
        Assert.Throws<ArgumentNullException>(() => index.TopKBatch(Modality.Image, null!, Modality.Text, 9));
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => index.TopKBatch(Modality.Image, Queries.Image, Modality.Text, 0)).ParamName);
    }

    [Fact]
    public void SavedIndexReopensWithTheSameItemsAndResults()
    {
        Neighbor[][] before;
        using (var index = CrossModalIndex.Create(Model, _directory))
        {
            index.Add(Modality.Image, Data.Image, Ids(Data.Image.Rows, 0));
            index.Add(Modality.Text, Data.Text, Ids(Data.Text.Rows, 5000));
            Assert.Equal(1, index.Delete(Modality.Text, 5003));
            index.Save();
            before = Enumerable.Range(0, Queries.Image.Rows)
                .Select(q => index.TopK(Modality.Image, Queries.Image.Row(q), Modality.Text, 7).Neighbors).ToArray();
        }
        using var reopened = CrossModalIndex.Open(_directory);
        Assert.Equal(Data.Image.Rows, reopened.Store(Modality.Image).LiveCount);
        Assert.Equal(Data.Text.Rows - 1, reopened.Store(Modality.Text).LiveCount);
        for (int q = 0; q < Queries.Image.Rows; q++)
        {
            Neighbor[] after = reopened.TopK(Modality.Image, Queries.Image.Row(q), Modality.Text, 7).Neighbors;
            SearchResultAssert(before[q], after);
            Assert.DoesNotContain(after, n => n.Id == 5003);
        }
    }

    [Fact]
    public void BadInputIsRefusedNamingTheParameter()
    {
        using var index = CrossModalIndex.CreateInMemory(Model);
        var ids = Assert.Throws<ArgumentException>(() => index.Add(Modality.Image, Data.Image, Ids(3, 0)));
        Assert.Equal("ids", ids.ParamName);
        Assert.Throws<ArgumentException>(() => index.TopK(Modality.Image, new double[5], Modality.Text, 3));
        var k = Assert.Throws<ArgumentOutOfRangeException>(() => index.TopK(Modality.Image, Queries.Image.Row(0), Modality.Text, 0));
        Assert.Equal("k", k.ParamName);
        var radius = Assert.Throws<ArgumentOutOfRangeException>(() => index.WithinRadius(Modality.Image, Queries.Image.Row(0), Modality.Text, 33));
        Assert.Equal("radius", radius.ParamName);
        Assert.Throws<FileNotFoundException>(() => CrossModalIndex.Open(_directory));
        using (CrossModalIndex.Create(Model, _directory)) { }
        Assert.Throws<IOException>(() => CrossModalIndex.Create(Model, _directory));
    }

    [Fact]
    public void NullFeaturesAreRefusedByName()
    {
        using var index = CrossModalIndex.CreateInMemory(Model);
        Assert.Equal("features", Assert.Throws<ArgumentNullException>(() => index.Add(Modality.Image, null!, [])).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentNullException>(() => index.Encode(Modality.Text, null!)).ParamName);
    }

    [Fact]
    public void TrainingItemsCanBeAddedWithTheirLearnedCodes()
    {
        ulong[] b = ScratchTrainer.Train(Data.Image, Data.Text, Data.Labels, new ScratchOptions { Bits = 32, Anchors = 40, Iterations = 5, Seed = 3 }).TrainingCodes;
        using var index = CrossModalIndex.CreateInMemory(Model);
        int[] rows = [7, 0, 299, 7];
        index.AddTrainingCodes(Modality.Text, b, rows, [70, 1, 2990, 71]);
        // The store holds B's rows as given, not the hash codes of the texts.
        ulong[] query = Model.EncodeImages(new FeatureMatrix(1, Queries.Image.Columns, Queries.Image.Row(0).ToArray()));
        long[] ids = [70, 1, 2990, 71];
        ulong[] stored = rows.SelectMany(r => b.AsSpan(r, 1).ToArray()).ToArray();
        SearchResultAssert(Reference(query, stored, ids, 1, 4), index.TopK(Modality.Image, Queries.Image.Row(0), Modality.Text, 4).Neighbors);
        Assert.Equal(0, index.Store(Modality.Image).Count);

        var outside = Assert.Throws<ArgumentException>(() => index.AddTrainingCodes(Modality.Image, b, [300], [1]));
        Assert.Equal("trainingRows", outside.ParamName);
        Assert.Contains("trainingRows[0] = 300", outside.Message);
        Assert.Equal("ids", Assert.Throws<ArgumentException>(() => index.AddTrainingCodes(Modality.Image, b, [1, 2], [1])).ParamName);
        Assert.Equal("trainingCodes", Assert.Throws<ArgumentException>(() => index.AddTrainingCodes(Modality.Image, [1UL << 40], [0], [1])).ParamName);
    }

    private static void SearchResultAssert(Neighbor[] expected, Neighbor[] actual) => Assert.Equal(expected, actual);
}
