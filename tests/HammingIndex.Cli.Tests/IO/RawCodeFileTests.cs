using HammingIndex.Codes;
using HammingIndex.Training.IO;

namespace HammingIndex.Cli.Tests.IO;

public class RawCodeFileTests
{
    internal static ulong[] RandomCodes(Random rng, int bits, int n)
    {
        var layout = new CodeLayout(bits);
        var codes = new ulong[n * layout.WordsPerCode];
        for (int i = 0; i < codes.Length; i++) codes[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40);
        for (int c = 0; c < n; c++) codes[(c + 1) * layout.WordsPerCode - 1] &= layout.LastWordMask;
        return codes;
    }

    private static async Task<(ulong[] Codes, long[] Ids)> ReadAll(string path, int bits, RawCodePacking packing, int block)
    {
        await using var reader = RawCodeReader.Open(path, bits, packing);
        int words = reader.Layout.WordsPerCode;
        var codes = new List<ulong>();
        var ids = new List<long>();
        var cb = new ulong[block * words];
        var ib = new long[block];
        int n;
        while ((n = await reader.ReadAsync(cb, ib)) > 0)
        {
            codes.AddRange(cb.AsSpan(0, n * words));
            ids.AddRange(ib.AsSpan(0, n));
        }
        return ([.. codes], [.. ids]);
    }

    [Theory]
    [InlineData(8, 0, RawCodePacking.Words, true)]
    [InlineData(12, 33, RawCodePacking.Bytes, true)]
    [InlineData(64, 1000, RawCodePacking.Words, false)]
    [InlineData(100, 257, RawCodePacking.Bytes, false)]
    [InlineData(4096, 300, RawCodePacking.Words, true)] // 150 KB of codes, several blocks
    public async Task Codes_and_ids_round_trip(int bits, int n, RawCodePacking packing, bool withIds)
    {
        using var dir = new TempDir();
        string path = dir.File("c.codes");
        var rng = new Random(bits + n);
        ulong[] codes = RandomCodes(rng, bits, n);
        long[] ids = Enumerable.Range(0, n).Select(_ => rng.NextInt64(long.MinValue, long.MaxValue)).ToArray();
        using (var w = RawCodeWriter.Create(path, bits, packing, withIds)) { w.Write(codes, ids); w.Commit(); }
        Assert.Equal(RawCodeHeader.Size + (long)n * RawCodeFile.BytesPerRow(new CodeLayout(bits), packing), new FileInfo(path).Length);
        var (backCodes, backIds) = await ReadAll(path, bits, packing, 7);
        Assert.Equal(codes, backCodes);
        Assert.Equal(withIds ? ids : Enumerable.Range(0, n).Select(i => (long)i).ToArray(), backIds);
    }

    [Fact]
    public void Truncated_file_is_refused_on_open()
    {
        using var dir = new TempDir();
        string path = dir.File("t.codes");
        File.WriteAllBytes(path, new byte[8 * 5 + 3]);
        var ex = Assert.Throws<FeatureFormatException>(() => RawCodeReader.Open(path, 64));
        Assert.Equal(6, ex.Row);
        Assert.Contains("truncated", ex.Message);
        Assert.Contains("leave 3 over", ex.Message);
    }

    [Fact]
    public async Task Set_padding_bits_are_refused_naming_the_row()
    {
        using var dir = new TempDir();
        string path = dir.File("p.codes");
        var bytes = new byte[3 * 2];
        bytes[5] = 0x80; // row 3 of 12-bit byte-packed codes: bit 15 is padding
        File.WriteAllBytes(path, bytes);
        var ex = await Assert.ThrowsAsync<FeatureFormatException>(() => ReadAll(path, 12, RawCodePacking.Bytes, 10));
        Assert.Equal(3, ex.Row);
        Assert.Contains("padding bits past bit 12", ex.Message);
    }

    [Fact]
    public void Ids_file_of_wrong_length_is_refused()
    {
        using var dir = new TempDir();
        string path = dir.File("i.codes");
        File.WriteAllBytes(path, new byte[8 * 4]);
        File.WriteAllBytes(RawCodeFile.IdsPathFor(path), new byte[8 * 3]);
        var ex = Assert.Throws<FeatureFormatException>(() => RawCodeReader.Open(path, 64));
        Assert.Contains("4 codes need 32 bytes", ex.Message);
    }
}
