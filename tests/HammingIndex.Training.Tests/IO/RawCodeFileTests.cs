using HammingIndex.Codes;
using HammingIndex.Training.IO;

namespace HammingIndex.Training.Tests.IO;

/// <summary>Self-describing raw code files (issue 9, finding 11) and their atomic writer (finding 8).</summary>
public sealed class RawCodeFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rawcodes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static ulong[] RandomCodes(Random rng, int bits, int n)
    {
        var layout = new CodeLayout(bits);
        var codes = new ulong[n * layout.WordsPerCode];
        for (int i = 0; i < codes.Length; i++) codes[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40);
        for (int c = 0; c < n; c++) codes[(c + 1) * layout.WordsPerCode - 1] &= layout.LastWordMask;
        return codes;
    }

    internal static void Write(string path, int bits, ulong[] codes, long[] ids, ulong fingerprint = 0, RawCodePacking packing = RawCodePacking.Words, bool writeIds = true)
    {
        using var writer = RawCodeWriter.Create(path, bits, packing, writeIds, fingerprint);
        writer.Write(codes, ids);
        writer.Commit();
    }

    internal static async Task<(ulong[] Codes, long[] Ids)> ReadAll(RawCodeReader reader)
    {
        int words = reader.Layout.WordsPerCode;
        var codes = new List<ulong>();
        var ids = new List<long>();
        var cb = new ulong[5 * words];
        var ib = new long[5];
        int n;
        while ((n = await reader.ReadAsync(cb, ib)) > 0)
        {
            codes.AddRange(cb.AsSpan(0, n * words));
            ids.AddRange(ib.AsSpan(0, n));
        }
        return ([.. codes], [.. ids]);
    }

    [Theory]
    [InlineData(16, RawCodePacking.Words, true)]
    [InlineData(100, RawCodePacking.Bytes, false)]
    public async Task The_header_says_bits_packing_count_and_model(int bits, RawCodePacking packing, bool withIds)
    {
        string path = Path.Combine(_dir, "c.codes");
        var rng = new Random(bits);
        ulong[] codes = RandomCodes(rng, bits, 23);
        long[] ids = Enumerable.Range(0, 23).Select(_ => rng.NextInt64()).ToArray();
        Write(path, bits, codes, ids, fingerprint: 0xC0FFEE, packing, withIds);
        await using RawCodeReader reader = RawCodeReader.Open(path); // no bits, no packing: the header says them
        Assert.True(reader.HasHeader);
        Assert.Equal((bits, packing, 23L, (ulong?)0xC0FFEE), (reader.Layout.Bits, reader.Packing, reader.Count, reader.ModelFingerprint));
        var (back, backIds) = await ReadAll(reader);
        Assert.Equal(codes, back);
        Assert.Equal(withIds ? ids : Enumerable.Range(0, 23).Select(i => (long)i).ToArray(), backIds);
    }

    [Fact]
    public void Codes_of_another_length_are_refused() // 16-bit codes read where 64-bit ones are expected
    {
        string path = Path.Combine(_dir, "c16.codes");
        Write(path, 16, RandomCodes(new Random(1), 16, 4), new long[4]); // 4 x 8 bytes: a whole number of 64-bit codes without a header
        var ex = Assert.Throws<InvalidFileException>(() => RawCodeReader.Open(path, 64));
        Assert.Equal(("64 bits", "16 bits", 12L), (ex.Expected, ex.Actual, ex.Offset));
        var packing = Assert.Throws<InvalidFileException>(() => RawCodeReader.Open(path, 16, RawCodePacking.Bytes));
        Assert.Equal(("bytes", "words"), (packing.Expected, packing.Actual));
    }

    [Fact]
    public async Task Headerless_codes_are_read_only_with_an_explicit_length()
    {
        string path = Path.Combine(_dir, "plain.codes");
        ulong[] codes = RandomCodes(new Random(2), 64, 6);
        File.WriteAllBytes(path, codes.SelectMany(BitConverter.GetBytes).ToArray());
        var ex = Assert.Throws<InvalidFileException>(() => RawCodeReader.Open(path));
        Assert.Contains("no code-file header", ex.Message);
        await using RawCodeReader reader = RawCodeReader.Open(path, 64);
        Assert.False(reader.HasHeader);
        Assert.Null(reader.ModelFingerprint);
        Assert.Equal(codes, (await ReadAll(reader)).Codes);
    }

    [Fact]
    public async Task A_damaged_code_or_id_is_refused_by_the_checksums()
    {
        string path = Path.Combine(_dir, "d.codes");
        Write(path, 64, RandomCodes(new Random(3), 64, 12), Enumerable.Range(0, 12).Select(i => (long)i * 3).ToArray());
        byte[] bytes = File.ReadAllBytes(path);
        bytes[RawCodeHeader.Size + 8 * 7 + 2] ^= 0x04;
        File.WriteAllBytes(path, bytes);
        await using (RawCodeReader reader = RawCodeReader.Open(path))
        {
            var ex = await Assert.ThrowsAsync<InvalidFileException>(() => ReadAll(reader));
            Assert.Equal(40, ex.Offset);
        }
        bytes[RawCodeHeader.Size + 8 * 7 + 2] ^= 0x04;
        File.WriteAllBytes(path, bytes);
        byte[] ids = File.ReadAllBytes(RawCodeFile.IdsPathFor(path));
        ids[9] ^= 0x80;
        File.WriteAllBytes(RawCodeFile.IdsPathFor(path), ids);
        await using (RawCodeReader reader = RawCodeReader.Open(path))
        {
            var ex = await Assert.ThrowsAsync<InvalidFileException>(() => ReadAll(reader));
            Assert.Equal(RawCodeFile.IdsPathFor(path), ex.FilePath);
        }
        bytes[30] ^= 0x01; // the count, in the header
        File.WriteAllBytes(path, bytes);
        Assert.Equal(56, Assert.Throws<InvalidFileException>(() => RawCodeReader.Open(path)).Offset);
    }

    [Fact]
    public void An_uncommitted_writer_leaves_the_previous_files_whole()
    {
        string path = Path.Combine(_dir, "w.codes");
        ulong[] first = RandomCodes(new Random(4), 64, 3);
        Write(path, 64, first, [1, 2, 3]);
        byte[] before = File.ReadAllBytes(path), idsBefore = File.ReadAllBytes(RawCodeFile.IdsPathFor(path));
        using (var writer = RawCodeWriter.Create(path, 64))
        {
            writer.Write(RandomCodes(new Random(5), 64, 50), new long[50]);
            // no Commit: the command failed
        }
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(idsBefore, File.ReadAllBytes(RawCodeFile.IdsPathFor(path)));
        Assert.Equal(new[] { "w.codes", "w.codes.ids" }, Directory.GetFiles(_dir).Select(f => Path.GetFileName(f)).Order().ToArray());
        Assert.Throws<IOException>(() => RawCodeWriter.Create(_dir, 64)); // a directory
        Assert.Throws<IOException>(() => RawCodeWriter.Create(path, 64, overwrite: false));
    }

    [Fact]
    public void Stores_and_code_files_are_told_apart_by_their_magic()
    {
        string store = Path.Combine(_dir, "image.codes"); // a store under the name raw code files use
        using (Storage.CodeStore.Create(store, 64)) { }
        string codes = Path.Combine(_dir, "x.hstore"); // a code file under the name stores use
        Write(codes, 64, RandomCodes(new Random(6), 64, 2), [0, 1]);
        Assert.True(CodeFiles.IsStore(store));
        Assert.False(CodeFiles.HasRawCodeHeader(store));
        Assert.False(CodeFiles.IsStore(codes));
        Assert.True(CodeFiles.HasRawCodeHeader(codes));
        Assert.Throws<InvalidFileException>(() => RawCodeReader.Open(store)); // not read as headerless codes by accident
    }

    [Theory]
    [InlineData(8, 0, RawCodePacking.Words, true)]
    [InlineData(12, 33, RawCodePacking.Bytes, true)]
    [InlineData(64, 1000, RawCodePacking.Words, false)]
    [InlineData(100, 257, RawCodePacking.Bytes, false)]
    [InlineData(4096, 300, RawCodePacking.Words, true)] // 150 KB of codes, several blocks
    public async Task Codes_and_ids_round_trip(int bits, int n, RawCodePacking packing, bool withIds)
    {
        string path = Path.Combine(_dir, "c.codes");
        var rng = new Random(bits + n);
        ulong[] codes = RandomCodes(rng, bits, n);
        long[] ids = Enumerable.Range(0, n).Select(_ => rng.NextInt64(long.MinValue, long.MaxValue)).ToArray();
        Write(path, bits, codes, ids, packing: packing, writeIds: withIds);
        Assert.Equal(RawCodeHeader.Size + (long)n * RawCodeFile.BytesPerRow(new CodeLayout(bits), packing), new FileInfo(path).Length);
        await using RawCodeReader reader = RawCodeReader.Open(path, bits, packing);
        var (backCodes, backIds) = await ReadAll(reader);
        Assert.Equal(codes, backCodes);
        Assert.Equal(withIds ? ids : Enumerable.Range(0, n).Select(i => (long)i).ToArray(), backIds);
    }

    [Fact]
    public void A_truncated_headerless_file_is_refused_on_open()
    {
        string path = Path.Combine(_dir, "t.codes");
        File.WriteAllBytes(path, new byte[8 * 5 + 3]);
        var ex = Assert.Throws<FeatureFormatException>(() => RawCodeReader.Open(path, 64));
        Assert.Equal(6, ex.Row);
        Assert.Contains("truncated", ex.Message);
        Assert.Contains("leave 3 over", ex.Message);
    }

    [Fact]
    public async Task Set_padding_bits_are_refused_naming_the_row()
    {
        string path = Path.Combine(_dir, "p.codes");
        var bytes = new byte[3 * 2];
        bytes[5] = 0x80; // row 3 of 12-bit byte-packed codes: bit 15 is padding
        File.WriteAllBytes(path, bytes);
        await using RawCodeReader reader = RawCodeReader.Open(path, 12, RawCodePacking.Bytes);
        var ex = await Assert.ThrowsAsync<FeatureFormatException>(() => ReadAll(reader));
        Assert.Equal(3, ex.Row);
        Assert.Contains("padding bits past bit 12", ex.Message);
    }

    [Fact]
    public void An_ids_file_of_the_wrong_length_is_refused()
    {
        string path = Path.Combine(_dir, "i.codes");
        File.WriteAllBytes(path, new byte[8 * 4]);
        File.WriteAllBytes(RawCodeFile.IdsPathFor(path), new byte[8 * 3]);
        var ex = Assert.Throws<FeatureFormatException>(() => RawCodeReader.Open(path, 64));
        Assert.Contains("4 codes need 32 bytes", ex.Message);
    }
}
