using HammingIndex.Training.IO;

namespace HammingIndex.Cli.Tests.IO;

public class DelimitedTextTests
{
    private static async Task<(double[] Values, int Dim, IReadOnlyList<string>? Names)> ReadAll(string path, int blockRows = 3)
    {
        await using var reader = await DelimitedTextReader.OpenAsync(path);
        var all = new List<double>();
        var block = new double[blockRows * reader.Dimension];
        int n;
        while ((n = await reader.ReadAsync(block)) > 0) all.AddRange(block.AsSpan(0, n * reader.Dimension));
        return ([.. all], reader.Dimension, reader.ColumnNames);
    }

    [Theory]
    [InlineData("csv", 1, 1)]
    [InlineData("csv", 5, 17)]
    [InlineData("tsv", 64, 9)]
    [InlineData("csv", 300, 200)] // several pipe buffers
    public async Task Round_trip_is_exact(string ext, int dim, int rows)
    {
        using var dir = new TempDir();
        string path = dir.File("x." + ext);
        var rng = new Random(dim + rows);
        var values = new double[dim * rows];
        for (int i = 0; i < values.Length; i++) values[i] = (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-20, 20));
        string[] names = Enumerable.Range(0, dim).Select(j => $"f{j}").ToArray();
        using (var w = DelimitedTextWriter.Create(path, names))
            for (int r = 0; r < rows; r++) w.WriteRow(values.AsSpan(r * dim, dim));
        var (back, backDim, backNames) = await ReadAll(path);
        Assert.Equal(dim, backDim);
        Assert.Equal(names, backNames);
        Assert.Equal(values, back);
    }

    [Fact]
    public async Task Accepts_crlf_blank_lines_quotes_spaces_and_no_final_newline()
    {
        using var dir = new TempDir();
        string path = dir.File("q.csv");
        File.WriteAllText(path, "\"a\",b\r\n1, 2\r\n\r\n\"3\",4e1");
        var (values, dim, names) = await ReadAll(path);
        Assert.Equal(2, dim);
        Assert.Equal(["a", "b"], names!);
        Assert.Equal([1.0, 2, 3, 40], values);
    }

    [Theory]
    [InlineData("1,2\n3\n", 2, 0, "1 fields on line 2")]
    [InlineData("x,y\n1,2\n3,abc\n", 2, 2, "value 'abc' on line 3 is not a number")]
    [InlineData("1,2\n3,NaN\n", 2, 2, "NaN on line 2 is not a finite")]
    [InlineData("1,2\n-Infinity,1\n", 2, 1, "not a finite")]
    public async Task Malformed_rows_are_refused_with_row_and_column(string text, long row, int column, string message)
    {
        using var dir = new TempDir();
        string path = dir.File("bad.csv");
        File.WriteAllText(path, text);
        var ex = await Assert.ThrowsAsync<FeatureFormatException>(() => ReadAll(path));
        Assert.Equal((row, column), (ex.Row, ex.Column));
        Assert.Contains(message, ex.Message);
        Assert.StartsWith(path, ex.Message);
    }

    [Fact]
    public async Task File_with_only_a_header_has_no_data()
    {
        using var dir = new TempDir();
        string path = dir.File("h.tsv");
        File.WriteAllText(path, "a\tb\n");
        var ex = await Assert.ThrowsAsync<FeatureFormatException>(() => ReadAll(path));
        Assert.Contains("no data rows", ex.Message);
    }
}
