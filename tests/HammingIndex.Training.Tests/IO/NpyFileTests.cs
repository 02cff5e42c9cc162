using System.Buffers.Binary;
using System.Text;
using HammingIndex.Training.Datasets;
using HammingIndex.Training.IO;
using HammingIndex.Training.Tests.Datasets;

namespace HammingIndex.Training.Tests.IO;

public sealed class NpyFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("npytests").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static FeatureMatrix RandomMatrix(Random rng, int rows, int columns, NpyDType dtype)
    {
        var m = new FeatureMatrix(rows, columns);
        for (int i = 0; i < m.Values.Length; i++)
        {
            m.Values[i] = dtype switch
            {
                NpyDType.Float64 => rng.NextDouble() * 2e6 - 1e6,
                NpyDType.Float32 => (float)(rng.NextDouble() * 200 - 100),
                NpyDType.UInt8 => rng.Next(256),
                NpyDType.Int32 => rng.Next(int.MinValue, int.MaxValue),
                _ => rng.NextInt64(-(1L << 52), 1L << 52),
            };
        }
        return m;
    }

    [Theory]
    [InlineData(NpyDType.Float64)]
    [InlineData(NpyDType.Float32)]
    [InlineData(NpyDType.UInt8)]
    [InlineData(NpyDType.Int32)]
    [InlineData(NpyDType.Int64)]
    public void WrittenFilesReadBackExactly(NpyDType dtype)
    {
        var rng = new Random(7 + (int)dtype);
        foreach ((int rows, int columns) in new[] { (0, 5), (1, 1), (3, 7), (17, 1), (250, 33), (5000, 61) })
        {
            FeatureMatrix m = RandomMatrix(rng, rows, columns, dtype);
            string path = PathOf($"m_{dtype}_{rows}x{columns}.npy");
            NpyFile.Write(path, m, dtype);
            byte[] bytes = File.ReadAllBytes(path);
            // Data start on a 64-byte boundary, and the file is header + exactly the data.
            int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
            Assert.Equal(0, (10 + headerLength) % 64);
            Assert.Equal(10 + headerLength + (long)rows * columns * NpyFile.ItemSize(dtype), bytes.Length);
            FeatureMatrix back = NpyFile.ReadMatrix(path);
            Assert.Equal(rows, back.Rows);
            Assert.Equal(columns, back.Columns);
            Assert.Equal(m.Values, back.Values);
        }
    }

    [Fact]
    public void HeaderIsTheOneNumPyWrites()
    {
        var stream = new MemoryStream();
        NpyFile.WriteHeader(stream, NpyDType.Float64, [2173, 128]);
        string text = Encoding.Latin1.GetString(stream.ToArray(), 10, (int)stream.Length - 10);
        Assert.Equal("{'descr': '<f8', 'fortran_order': False, 'shape': (2173, 128), }", text.TrimEnd());
        Assert.EndsWith("\n", text);
        stream.SetLength(0);
        NpyFile.WriteHeader(stream, NpyDType.UInt8, [9]);
        Assert.Contains("'shape': (9,)", Encoding.Latin1.GetString(stream.ToArray()));
    }

    internal static byte[] HandMadeFile(int major, string dict, byte[] data)
    {
        var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0]);
        byte[] header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetBytes(dict + "\n");
        Span<byte> len = stackalloc byte[4];
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)header.Length);
            ms.Write(len[..2]);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)header.Length);
            ms.Write(len);
        }
        ms.Write(header);
        ms.Write(data);
        return ms.ToArray();
    }

    private static byte[] Int32Bytes(params int[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ReadsEveryFormatVersion(int major)
    {
        // Unpadded header, double quotes and a Python 2 long: all valid.
        byte[] file = HandMadeFile(major, "{\"shape\": (2L, 3), \"fortran_order\": False, \"descr\": \"<i4\"}", Int32Bytes(1, -2, 3, 4, 5, -6));
        FeatureMatrix m = NpyFile.ReadMatrix(new MemoryStream(file), "hand.npy");
        Assert.Equal((2, 3), (m.Rows, m.Columns));
        Assert.Equal([1.0, -2, 3, 4, 5, -6], m.Values);
        NpyHeader header = NpyFile.ReadHeader(new MemoryStream(file), "hand.npy");
        Assert.Equal(major, header.MajorVersion);
        Assert.Equal(file.Length - 24, header.DataOffset);
    }

    [Fact]
    public void OneDimensionalIsAColumnAndMoreDimensionsAreRefusedNamingTheShape()
    {
        byte[] oneD = HandMadeFile(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }", [9, 8, 7, 6]);
        FeatureMatrix column = NpyFile.ReadMatrix(new MemoryStream(oneD), "1d.npy");
        Assert.Equal((4, 1), (column.Rows, column.Columns));
        Assert.Equal([9.0, 8, 7, 6], column.Values);

        // Finding 10 of issue 9: a (60, 4, 2) array was read silently as 60 x 8.
        byte[] threeD = HandMadeFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (60, 4, 2), }", new byte[60 * 4 * 2 * 8]);
        var ex = Assert.Throws<InvalidFileException>(() => NpyFile.ReadMatrix(new MemoryStream(threeD), "3d.npy"));
        Assert.Equal(("3d.npy", "(60, 4, 2)", "a 1-D or 2-D shape"), (ex.FilePath, ex.Actual, ex.Expected));
        Assert.Contains("3-D .npy array of shape (60, 4, 2)", ex.Message);
        string path = Path.Combine(Path.GetTempPath(), $"npy3d-{Guid.NewGuid():N}.npy");
        File.WriteAllBytes(path, threeD);
        try
        {
            Assert.Throws<InvalidFileException>(() => FeatureFiles.ReadAllAsync(path).AsTask().GetAwaiter().GetResult());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("<f2", "'<f2' is not supported")]
    [InlineData("<c16", "'<c16' is not supported")]
    [InlineData("|b1", "'|b1' is not supported")]
    [InlineData(">f8", "big-endian dtype '>f8'")]
    [InlineData(">i4", "big-endian dtype '>i4'")]
    public void UnknownDTypesAreRefused(string descr, string expected)
    {
        byte[] file = HandMadeFile(1, $"{{'descr': '{descr}', 'fortran_order': False, 'shape': (1, 2), }}", new byte[32]);
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadMatrix(new MemoryStream(file), "d.npy"));
        Assert.StartsWith("d.npy:", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("{'descr': '<f8', 'shape': (1, 2), }", "no 'fortran_order'")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, }", "no 'shape'")]
    [InlineData("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (1,), }", "True or False")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (1, -2), }", "non-negative integer")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), 'extra': 1}", "unknown header key 'extra'")]
    [InlineData("['descr']", "expected '{'")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", "0-d")]
    public void MalformedHeadersAreRefused(string dict, string expected)
    {
        byte[] file = HandMadeFile(1, dict, new byte[16]);
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadMatrix(new MemoryStream(file), "h.npy"));
        Assert.Contains("h.npy", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void BadMagicAndVersionAreRefused()
    {
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadMatrix(new MemoryStream("PK\x03\x04 not npy"u8.ToArray()), "z.npy"));
        Assert.Contains("not a .npy file", e.Message);
        byte[] v4 = HandMadeFile(1, "{}", []);
        v4[6] = 4;
        e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadMatrix(new MemoryStream(v4), "v4.npy"));
        Assert.Contains("version 4.0", e.Message);
    }

    [Fact]
    public void TruncatedDataAreRefusedWithExpectedAndActualBytes()
    {
        var m = RandomMatrix(new Random(1), 10, 4, NpyDType.Float32);
        string path = PathOf("trunc.npy");
        NpyFile.Write(path, m, NpyDType.Float32);
        long full = new FileInfo(path).Length; // 64-byte header + 160 data bytes
        using (var fs = new FileStream(path, FileMode.Open)) fs.SetLength(full - 3);
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadMatrix(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("needs 160 bytes", e.Message);
        Assert.Contains("only 157 are there", e.Message);

        // A stream that cannot seek is refused at the short read, never read past.
        byte[] bytes = File.ReadAllBytes(path);
        e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadMatrix(new NonSeekableStream(bytes), "pipe"));
        Assert.Contains("160 bytes expected", e.Message);
        Assert.Contains("only 157 present", e.Message);

        // A header cut short.
        e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadMatrix(new MemoryStream(bytes[..40]), "cut"));
        Assert.Contains("truncated .npy header", e.Message);
    }

    [Fact]
    public void BytesPastTheDataAreRefused()
    {
        var stream = new MemoryStream();
        NpyFile.Write(stream, new FeatureMatrix(2, 2, [1, 2, 3, 4]));
        stream.WriteByte(0);
        byte[] bytes = stream.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => NpyFile.ReadMatrix(new MemoryStream(bytes), "long.npy"));
        Assert.Contains("1 unexpected bytes after the 32 bytes", e.Message);
        Assert.Throws<InvalidDataException>(() => NpyFile.ReadMatrix(new NonSeekableStream(bytes), "long pipe"));
    }

    [Theory]
    [InlineData(NpyDType.UInt8, 256.0)]
    [InlineData(NpyDType.UInt8, -1.0)]
    [InlineData(NpyDType.Int32, 0.5)]
    [InlineData(NpyDType.Int32, 3e9)]
    [InlineData(NpyDType.Int64, double.NaN)]
    public void WriterRefusesValuesTheDTypeCannotHold(NpyDType dtype, double value)
    {
        string path = PathOf("bad.npy");
        var e = Assert.Throws<ArgumentException>(() => NpyFile.Write(path, new FeatureMatrix(1, 2, [0, value]), dtype));
        Assert.Contains("position 1", e.Message);
        Assert.False(File.Exists(path));
    }

    [WikiFact]
    public void ReadsTheWikiFiles()
    {
        string dir = WikiDataset.FindDirectory()!;
        var expected = new Dictionary<string, (int Rows, int Columns)>
        {
            ["I_tr"] = (2173, 128), ["T_tr"] = (2173, 10), ["L_tr"] = (2173, 10),
            ["I_te"] = (693, 128), ["T_te"] = (693, 10), ["L_te"] = (693, 10),
        };
        foreach ((string name, (int rows, int columns)) in expected)
        {
            FeatureMatrix m = NpyFile.ReadMatrix(Path.Combine(dir, name + ".npy"));
            Assert.Equal((rows, columns), (m.Rows, m.Columns));
            Assert.All(m.Values, v => Assert.True(double.IsFinite(v)));
            if (name.StartsWith('L'))
            {
                // One-hot: each row has exactly one 1.
                for (int r = 0; r < m.Rows; r++) Assert.Equal(1.0, m.Row(r).ToArray().Sum());
            }
            if (name.StartsWith('T'))
            {
                // LDA topic proportions are non-negative and sum to about 1.
                for (int r = 0; r < m.Rows; r++) Assert.InRange(m.Row(r).ToArray().Sum(), 0.98, 1.02);
            }
            // Round trip through the writer gives the same bytes of data.
            string copy = PathOf(name + ".npy");
            NpyFile.Write(copy, m, name.StartsWith('L') ? NpyDType.UInt8 : NpyDType.Float64);
            Assert.Equal(m.Values, NpyFile.ReadMatrix(copy).Values);
        }
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
