using HammingIndex.Training;
using HammingIndex.Training.IO;

namespace HammingIndex.Cli.Tests.IO;

public class FeatureFilesTests
{
    [Theory]
    [InlineData("m.npy")]
    [InlineData("m.fvecs")]
    [InlineData("m.csv")]
    [InlineData("m.tsv")]
    public async Task Every_format_round_trips_through_the_extension_dispatch(string name)
    {
        using var dir = new TempDir();
        var rng = new Random(5);
        var m = new FeatureMatrix(23, 6);
        for (int i = 0; i < m.Values.Length; i++) m.Values[i] = (float)rng.NextDouble();
        string path = dir.File(name);
        FeatureFiles.Write(path, m);
        FeatureMatrix back = await FeatureFiles.ReadAllAsync(path);
        Assert.Equal((m.Rows, m.Columns), (back.Rows, back.Columns));
        Assert.Equal(m.Values, back.Values);
    }

    [Theory]
    [InlineData("m.npy")]
    [InlineData("m.fvecs")]
    [InlineData("m.csv")]
    [InlineData("m.tsv")]
    public async Task Every_reader_refuses_a_destination_that_cannot_hold_one_row_the_same_way(string name)
    {
        using var dir = new TempDir();
        string path = dir.File(name);
        FeatureFiles.Write(path, new FeatureMatrix(3, 6));
        await using IFeatureReader reader = await FeatureFiles.OpenAsync(path);
        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await reader.ReadAsync(new double[5]));
        Assert.Equal("destination", ex.ParamName);
        Assert.StartsWith("Room for 5 values cannot hold one row of 6.", ex.Message);
        Assert.Equal(1, await reader.ReadAsync(new double[11]));
    }

    [Fact]
    public async Task Npy_with_infinity_is_refused_like_the_streamed_formats()
    {
        using var dir = new TempDir();
        var m = new FeatureMatrix(4, 3);
        m[2, 1] = double.PositiveInfinity;
        string path = dir.File("inf.npy");
        NpyFile.Write(path, m);
        var ex = await Assert.ThrowsAsync<FeatureFormatException>(async () => await FeatureFiles.ReadAllAsync(path));
        Assert.Equal((3L, 2), (ex.Row, ex.Column));
    }

    [Fact]
    public async Task Unknown_extension_and_missing_file_are_named()
    {
        using var dir = new TempDir();
        string txt = dir.File("x.txt");
        File.WriteAllText(txt, "1");
        var ext = await Assert.ThrowsAsync<ArgumentException>(async () => await FeatureFiles.OpenAsync(txt));
        Assert.Contains("unknown feature file extension '.txt'", ext.Message);
        var missing = await Assert.ThrowsAsync<FileNotFoundException>(async () => await FeatureFiles.OpenAsync(dir.File("none.csv")));
        Assert.Contains("none.csv", missing.Message);
    }
}
