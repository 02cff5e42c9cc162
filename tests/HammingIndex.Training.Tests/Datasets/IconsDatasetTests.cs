using HammingIndex.Training.Datasets;

namespace HammingIndex.Training.Tests.Datasets;

public sealed class IconsDatasetTests
{
    /// <summary>A tiny package in the @mdi/svg layout: four tagged icons and one without tags.</summary>
    private static string TinyPackage()
    {
        string dir = Directory.CreateTempSubdirectory("mdi").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "package", "svg"));
        File.WriteAllText(Path.Combine(dir, "package", "meta.json"), """
            [{"name":"box-left","aliases":["half-box"],"tags":["Shape"]},
             {"name":"box-full","aliases":[],"tags":["Shape","Fill"]},
             {"name":"box-empty","aliases":["nothing"],"tags":["Fill"]},
             {"name":"triangle","aliases":["half-box"],"tags":["Shape"]},
             {"name":"untagged","aliases":[],"tags":[]}]
            """);
        void Svg(string name, string d) => File.WriteAllText(Path.Combine(dir, "package", "svg", name + ".svg"),
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"mdi-{name}\" viewBox=\"0 0 24 24\"><path d=\"{d}\" /></svg>");
        Svg("box-left", "M0,0H12V24H0Z");
        Svg("box-full", "M0,0H24V24H0Z");
        Svg("box-empty", "M0,0H1V1H0Z");
        Svg("triangle", "M0,0L24,0L0,24Z");
        Svg("untagged", "M0,0H24V24H0Z");
        return dir;
    }

    [Fact]
    public void BuildsPixelsWordsAndTagsFromThePackage()
    {
        string dir = TinyPackage();
        try
        {
            IconsDataset set = IconsDataset.Load(dir, imageSize: 8, queryCount: 1, seed: 3);
            Assert.Equal(3, set.Train.Count);
            Assert.Equal(1, set.Test.Count);
            Assert.Equal(["Fill", "Shape"], set.TagNames);
            Assert.DoesNotContain("untagged", set.TrainNames.Concat(set.TestNames));
            Assert.Equal(64, set.Train.Images.Columns);
            // Vocabulary = words in >= 2 training items (so it depends on which icon is the query).
            var train = set.TrainNames.ToList();
            static string[] WordsOf(string name) => name switch
            {
                "box-left" => ["box", "left", "half"],
                "box-full" => ["box", "full"],
                "box-empty" => ["box", "empty", "nothing"],
                _ => ["triangle", "half", "box"],
            };
            Assert.Equal(train.SelectMany(WordsOf).GroupBy(w => w).Where(g => g.Count() >= 2).Select(g => g.Key).Order(StringComparer.Ordinal), set.Vocabulary);
            for (int i = 0; i < train.Count; i++)
            {
                // Exact for axis-aligned edges on the pixel grid; the triangle's diagonal is anti-aliased.
                double coverage = set.Train.Images.Row(i).ToArray().Sum();
                (double expectedCoverage, double tolerance) = train[i] switch
                {
                    "box-left" => (32.0, 1e-9), "box-full" => (64.0, 1e-9), "box-empty" => (1.0 / 9, 0.05), _ => (32.0, 1.5),
                };
                Assert.Equal(expectedCoverage, coverage, tolerance);
                Assert.Equal(train[i] is "box-left" or "box-full" or "triangle", set.Train.Labels.Has(i, 1));
                Assert.Equal(train[i] is "box-full" or "box-empty", set.Train.Labels.Has(i, 0));
                for (int j = 0; j < set.Vocabulary.Count; j++)
                    Assert.Equal(WordsOf(train[i]).Contains(set.Vocabulary[j]) ? 1.0 : 0.0, set.Train.Texts[i, j]);
            }
            // The split is fixed by the seed.
            Assert.Equal(set.TestNames, IconsDataset.Load(dir, 8, 1, 3).TestNames);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void RefusesMissingFilesAndTooManyQueries()
    {
        string dir = TinyPackage();
        try
        {
            Assert.Equal(4, Assert.Throws<ArgumentOutOfRangeException>(() => IconsDataset.Load(dir, 8, queryCount: 4)).ActualValue);
            File.Delete(Path.Combine(dir, "package", "svg", "triangle.svg"));
            var e = Assert.Throws<InvalidDataException>(() => IconsDataset.Load(dir, 8, 1));
            Assert.Contains("triangle.svg' is listed in", e.Message);
            var missing = Assert.Throws<DirectoryNotFoundException>(() => IconsDataset.Load(Path.Combine(dir, "package", "svg")));
            Assert.Contains("scripts/fetch-data.sh", missing.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [DataFact("mdi", "package/meta.json")]
    public void LoadsTheMaterialDesignIcons()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        IconsDataset set = IconsDataset.Load();
        Console.WriteLine($"icons loaded and rasterized in {watch.ElapsedMilliseconds} ms; vocabulary {set.Vocabulary.Count}");
        Assert.Equal(1000, set.Test.Count);
        Assert.Equal(5382 - 1000, set.Train.Count);
        Assert.Equal(61, set.TagNames.Count);
        Assert.Equal(1024, set.Train.Images.Columns);
        Assert.All(set.Train.Images.Values, v => Assert.InRange(v, 0.0, 1.0));
        // Every icon draws something, and none fills its whole box.
        for (int i = 0; i < set.Test.Count; i++) Assert.InRange(set.Test.Images.Row(i).ToArray().Sum(), 1.0, 1023.0);
        // Each item has at least one tag; "account" is a word of many icons.
        Assert.All(Enumerable.Range(0, set.Test.Count), r => Assert.True(set.Test.Labels.LabelsOf(r) >= 1));
        Assert.Contains("account", set.Vocabulary);
    }
}
