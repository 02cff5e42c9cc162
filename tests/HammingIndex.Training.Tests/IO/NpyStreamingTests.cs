using System.Buffers.Binary;
using HammingIndex.Training.IO;

namespace HammingIndex.Training.Tests.IO;

/// <summary>
/// Fortran-order .npy files (what NumPy writes for a transposed array, e.g. <c>np.save(f, a.T)</c>)
/// read into the same rows as C order, whole and streamed; the streamed reader reads through a
/// buffer of bounded size whatever the file size.
/// </summary>
public sealed class NpyStreamingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("npystream").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A random rows x columns matrix of float32-exact values.</summary>
    private static double[,] RandomValues(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var values = new double[rows, columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) values[r, c] = (float)(random.NextDouble() * 200 - 100);
        return values;
    }

    /// <summary>The .npy bytes of <paramref name="values"/> as &lt;f4, laid out column-major (Fortran) or row-major (C), by hand.</summary>
    private static byte[] FileOf(double[,] values, bool fortran)
    {
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var data = new byte[rows * columns * 4];
        int i = 0;
        if (fortran)
        {
            for (int c = 0; c < columns; c++)
                for (int r = 0; r < rows; r++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i++), (float)values[r, c]);
        }
        else
        {
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < columns; c++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i++), (float)values[r, c]);
        }
        string order = fortran ? "True" : "False";
        return NpyFileTests.HandMadeFile(1, $"{{'descr': '<f4', 'fortran_order': {order}, 'shape': ({rows}, {columns}), }}", data);
    }

    private static async Task<double[]> ReadAllRows(NpyFeatureReader reader, int blockRows)
    {
        var all = new List<double>();
        var block = new double[blockRows * reader.Dimension];
        int got;
        while ((got = await reader.ReadAsync(block)) > 0)
        {
            Assert.True(got <= blockRows);
            all.AddRange(block.AsSpan(0, got * reader.Dimension));
        }
        return all.ToArray();
    }

    private static double[] RowMajor(double[,] values) => values.Cast<double>().ToArray();

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 9)]
    [InlineData(9, 1)]
    [InlineData(5, 3)]
    [InlineData(300, 7)]
    [InlineData(1000, 33)]
    public async Task FortranOrderReadsAsTheSameRowsAsCOrder(int rows, int columns)
    {
        double[,] values = RandomValues(rows, columns, rows * 31 + columns);
        foreach (bool fortran in (bool[])[true, false])
        {
            byte[] file = FileOf(values, fortran);
            FeatureMatrix whole = NpyFile.ReadMatrix(new MemoryStream(file), "m.npy");
            Assert.Equal((rows, columns), (whole.Rows, whole.Columns));
            Assert.Equal(RowMajor(values), whole.Values);
            foreach (int blockRows in (int[])[1, 4, 64])
            {
                await using NpyFeatureReader reader = NpyFeatureReader.Open(new MemoryStream(file), "m.npy", bufferBytes: 64);
                Assert.Equal(fortran, reader.FortranOrder);
                Assert.Equal(rows, reader.RowCount);
                Assert.Equal(RowMajor(values), await ReadAllRows(reader, blockRows));
                Assert.Equal(rows, reader.RowsRead);
            }
        }
    }

    [Fact]
    public async Task TheStreamedReaderNeverReadsMoreThanItsBufferAtOnce()
    {
        // 20,000 x 16 float32 = 1.28 MB of data through a 4 KiB buffer: every read the file sees is
        // at most 4 KiB, and the reader allocates far less than the data while serving all rows.
        const int rows = 20_000, columns = 16, buffer = 4096;
        double[,] values = RandomValues(rows, columns, 3);
        foreach (bool fortran in (bool[])[false, true])
        {
            var stream = new CountingStream(FileOf(values, fortran));
            await using NpyFeatureReader reader = NpyFeatureReader.Open(stream, "big.npy", buffer);
            Assert.True(reader.BufferBytes <= buffer);
            var block = new double[100 * columns];
            double[] expected = RowMajor(values);
            long before = GC.GetAllocatedBytesForCurrentThread();
            int row = 0, got;
            while ((got = await reader.ReadAsync(block)) > 0)
            {
                Assert.True(block.AsSpan(0, got * columns).SequenceEqual(expected.AsSpan(row * columns, got * columns)), $"rows from {row}");
                row += got;
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(rows, row);
            Assert.True(stream.LargestRead <= buffer, $"{(fortran ? "Fortran" : "C")}: a read of {stream.LargestRead} bytes");
            Assert.True(allocated < rows * columns * 4 / 10, $"{allocated} bytes allocated while streaming {rows * columns * 4} bytes");
        }
    }

    [Fact]
    public void FortranOrderOfMoreThanTwoDimensionsIsRefusedByName()
    {
        byte[] file = NpyFileTests.HandMadeFile(1, "{'descr': '|u1', 'fortran_order': True, 'shape': (2, 2, 2), }", [1, 2, 3, 4, 5, 6, 7, 8]);
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadMatrix(new MemoryStream(file), "f3.npy"));
        Assert.Contains("f3.npy", e.Message);
        Assert.Contains("Fortran", e.Message);
    }

    [Fact]
    public void ATruncatedFileIsRefusedWhenOpened()
    {
        byte[] file = FileOf(RandomValues(10, 3, 1), fortran: true);
        var e = Assert.Throws<InvalidDataException>(() => NpyFeatureReader.Open(new MemoryStream(file[..^4]), "cut.npy"));
        Assert.Contains("cut.npy", e.Message);
        Assert.Contains("120 bytes", e.Message);
    }

    [Fact]
    public async Task FeatureFilesOpensNpyAsAStream()
    {
        double[,] values = RandomValues(50, 4, 9);
        string path = Path.Combine(_dir, "t.npy");
        File.WriteAllBytes(path, FileOf(values, fortran: true));
        await using IFeatureReader reader = await FeatureFiles.OpenAsync(path);
        Assert.IsType<NpyFeatureReader>(reader);
        var rows = new double[50 * 4];
        Assert.Equal(50, await reader.ReadAsync(rows));
        Assert.Equal(RowMajor(values), rows);
        Assert.Equal(RowMajor(values), (await FeatureFiles.ReadAllAsync(path)).Values);
    }

    /// <summary>A memory stream that records the largest single read asked of it.</summary>
    private sealed class CountingStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public int LargestRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            LargestRead = Math.Max(LargestRead, count);
            return base.Read(buffer, offset, count);
        }

        public override int Read(Span<byte> buffer)
        {
            LargestRead = Math.Max(LargestRead, buffer.Length);
            return base.Read(buffer);
        }
    }
}
