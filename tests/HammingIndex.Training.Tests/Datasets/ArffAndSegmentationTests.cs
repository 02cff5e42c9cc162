using HammingIndex.Training.Datasets;
using HammingIndex.Training.IO;

namespace HammingIndex.Training.Tests.Datasets;

public sealed class ArffAndSegmentationTests
{
    private const string Small = """
        % comment
        @relation 'tiny'
        @attribute a numeric
        @attribute 'b c' real
        @attribute class {x,y,'z'}

        @data
        1,2.5,y
        -3, 4e2 ,z
        % trailing comment
        """;

    [Fact]
    public void ReadsNumericAndNominalColumns()
    {
        ArffTable t = ArffFile.Read(new StringReader(Small), "tiny.arff");
        Assert.Equal("tiny", t.Relation);
        Assert.Equal(["a", "b c", "class"], t.Attributes.Select(a => a.Name));
        Assert.Equal(["x", "y", "z"], t.Attributes[2].NominalValues!);
        Assert.Equal((2, 3), (t.Values.Rows, t.Values.Columns));
        Assert.Equal([1.0, 2.5, 1, -3, 400, 2], t.Values.Values);
        Assert.Equal(1, t.ColumnOf("b c"));
    }

    [Theory]
    [InlineData("1,?,x", "line 7: attribute 'b c' is missing")]
    [InlineData("1,2", "line 7: 2 fields, but 3 attributes")]
    [InlineData("1,2,w", "'w' is not a value of nominal attribute 'class'")]
    [InlineData("1,abc,x", "'abc' is not a finite number (attribute 'b c')")]
    [InlineData("{0 1}", "sparse ARFF rows")]
    public void RefusesBadRowsNamingFileAndLine(string row, string expected)
    {
        string text = "@relation r\n@attribute a numeric\n@attribute 'b c' real\n@attribute class {x,y}\n\n@data\n" + row + "\n";
        var e = Assert.Throws<InvalidDataException>(() => ArffFile.Read(new StringReader(text), "bad.arff"));
        Assert.StartsWith("bad.arff", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void RefusesUnsupportedTypesAndMissingData()
    {
        var e = Assert.Throws<InvalidDataException>(() => ArffFile.Read(new StringReader("@relation r\n@attribute s string\n@data\n"), "s.arff"));
        Assert.Contains("type 'string'", e.Message);
        e = Assert.Throws<InvalidDataException>(() => ArffFile.Read(new StringReader("@relation r\n@attribute a numeric\n"), "n.arff"));
        Assert.Contains("no @data", e.Message);
    }

    [Fact]
    public void MissingDataSetSaysHowToFetchIt()
    {
        string empty = Directory.CreateTempSubdirectory("nodata").FullName;
        try
        {
            var e = Assert.Throws<DirectoryNotFoundException>(() => SegmentationDataset.Load(empty));
            Assert.Contains("segment-challenge.arff", e.Message);
            Assert.Contains("scripts/fetch-data.sh", e.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [DataFact("segment", "segment-test.arff")]
    public void LoadsTheUciSegmentationSet()
    {
        SegmentationDataset set = SegmentationDataset.Load();
        Assert.Equal(["brickface", "sky", "foliage", "cement", "window", "path", "grass"], set.ClassNames);
        Assert.Equal((1500, 9, 10), (set.Train.Count, set.Train.Images.Columns, set.Train.Texts.Columns));
        Assert.Equal((810, 9, 10), (set.Test.Count, set.Test.Images.Columns, set.Test.Texts.Columns));
        // Column 3 of the shape view is region-pixel-count, 9 for every 3x3 region.
        Assert.All(Enumerable.Range(0, set.Train.Count), r => Assert.Equal(9.0, set.Train.Images[r, 2]));
        // Every class occurs in both splits, each item has exactly one.
        for (int c = 0; c < 7; c++)
        {
            Assert.Contains(Enumerable.Range(0, set.Train.Count), r => set.Train.Labels.Has(r, c));
            Assert.Contains(Enumerable.Range(0, set.Test.Count), r => set.Test.Labels.Has(r, c));
        }
        Assert.All(Enumerable.Range(0, set.Test.Count), r => Assert.Equal(1, set.Test.Labels.LabelsOf(r)));
    }
}
