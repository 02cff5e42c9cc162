using System.Buffers.Binary;
using HammingIndex.Training.IO;

namespace HammingIndex.Cli.Tests.IO;

public class VecsFileTests
{
    private static double[] RandomRows(Random rng, VecsKind kind, int rows, int dim)
    {
        var v = new double[rows * dim];
        for (int i = 0; i < v.Length; i++)
            v[i] = kind switch
            {
                VecsKind.Fvecs => (float)(rng.NextDouble() * 200 - 100),
                VecsKind.Bvecs => rng.Next(256),
                _ => rng.Next(int.MinValue, int.MaxValue),
            };
        return v;
    }

    private static async Task<(double[] Values, int Dim)> ReadAll(string path, int blockRows)
    {
        await using var reader = await VecsReader.OpenAsync(path);
        var all = new List<double>();
        var block = new double[blockRows * reader.Dimension];
        int n;
        while ((n = await reader.ReadAsync(block)) > 0) all.AddRange(block.AsSpan(0, n * reader.Dimension));
        Assert.Equal(all.Count / reader.Dimension, reader.RowsRead);
        return ([.. all], reader.Dimension);
    }

    [Theory]
    [InlineData(VecsKind.Fvecs, 1, 1, 1)]
    [InlineData(VecsKind.Fvecs, 37, 13, 5)]
    [InlineData(VecsKind.Bvecs, 100, 7, 64)]
    [InlineData(VecsKind.Ivecs, 3, 1, 1000)]
    [InlineData(VecsKind.Fvecs, 1000, 300, 7)] // 1.2 MB: rows straddle the pipe's 1 MiB reads
    public async Task Round_trip_returns_every_value(VecsKind kind, int dim, int rows, int blockRows)
    {
        using var dir = new TempDir();
        string path = dir.File("x." + kind.ToString().ToLowerInvariant());
        var rng = new Random(dim * 31 + rows);
        double[] values = RandomRows(rng, kind, rows, dim);
        using (var w = VecsWriter.Create(path))
            for (int r = 0; r < rows; r++) w.WriteRow(values.AsSpan(r * dim, dim));
        Assert.Equal(rows * (4L + dim * kind.ElementSize()), new FileInfo(path).Length);
        await using (var probe = await VecsReader.OpenAsync(path)) Assert.Equal(rows, probe.RowCount);
        var (back, backDim) = await ReadAll(path, blockRows);
        Assert.Equal(dim, backDim);
        Assert.Equal(values, back);
    }

    [Fact]
    public async Task Truncated_row_names_file_and_row()
    {
        using var dir = new TempDir();
        string path = dir.File("t.fvecs");
        using (var w = VecsWriter.Create(path))
            for (int r = 0; r < 5; r++) w.WriteRow(new double[] { r, r, r, r });
        using (var f = new FileStream(path, FileMode.Open)) f.SetLength(f.Length - 3);
        var ex = await Assert.ThrowsAsync<FeatureFormatException>(() => ReadAll(path, 2));
        Assert.Equal(5, ex.Row);
        Assert.Contains(path, ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public async Task Row_of_another_dimension_is_refused()
    {
        using var dir = new TempDir();
        string path = dir.File("d.fvecs");
        using (var f = File.Create(path))
        {
            var bytes = new byte[4 + 3 * 4];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, 3);
            f.Write(bytes);
            f.Write(bytes);
            BinaryPrimitives.WriteInt32LittleEndian(bytes, 2);
            f.Write(bytes);
        }
        var ex = await Assert.ThrowsAsync<FeatureFormatException>(() => ReadAll(path, 10));
        Assert.Equal(3, ex.Row);
        Assert.Contains("dimension 2 differs from the first row's 3", ex.Message);
    }

    [Fact]
    public async Task NaN_is_refused_with_row_column_and_value()
    {
        using var dir = new TempDir();
        string path = dir.File("n.fvecs");
        using (var w = VecsWriter.Create(path))
        {
            w.WriteRow(new double[] { 1, 2, 3 });
            w.WriteRow(new double[] { 1, 2, 3 });
        }
        byte[] all = File.ReadAllBytes(path);
        BinaryPrimitives.WriteSingleLittleEndian(all.AsSpan(16 + 4 + 4), float.NaN); // row 2, column 2
        File.WriteAllBytes(path, all);
        var ex = await Assert.ThrowsAsync<FeatureFormatException>(() => ReadAll(path, 10));
        Assert.Equal((2L, 2), (ex.Row, ex.Column));
        Assert.Contains("NaN", ex.Message);
    }

    [Fact]
    public async Task Implausible_first_dimension_and_empty_file_are_refused()
    {
        using var dir = new TempDir();
        string path = dir.File("e.bvecs");
        File.WriteAllBytes(path, []);
        var empty = await Assert.ThrowsAsync<FeatureFormatException>(() => ReadAll(path, 1));
        Assert.Contains("empty", empty.Message);
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0x7F, 1, 2]);
        var bad = await Assert.ThrowsAsync<FeatureFormatException>(() => ReadAll(path, 1));
        Assert.Contains("dimension 2147483647", bad.Message);
    }

    [Fact]
    public void Writer_refuses_values_that_do_not_fit_the_kind()
    {
        using var dir = new TempDir();
        using var b = VecsWriter.Create(dir.File("v.bvecs"));
        var ex = Assert.Throws<ArgumentException>(() => b.WriteRow(new double[] { 1, 256 }));
        Assert.Contains("column 2: value 256", ex.Message);
        using var f = VecsWriter.Create(dir.File("v.fvecs"));
        f.WriteRow(new double[] { 1, 2 });
        var dim = Assert.Throws<ArgumentException>(() => f.WriteRow(new double[] { 1, 2, 3 }));
        Assert.Contains("row 2 has 3 values", dim.Message);
    }
}
