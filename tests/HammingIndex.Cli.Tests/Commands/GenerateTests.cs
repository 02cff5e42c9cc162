using System.Numerics;
using HammingIndex.Cli.Infrastructure;
using HammingIndex.Codes;
using HammingIndex.Storage;
using HammingIndex.Training.IO;

namespace HammingIndex.Cli.Tests.Commands;

/// <summary>
/// <c>hamming generate</c> and its <see cref="CodeGenerator"/>: the same seed gives the same bytes
/// whatever the thread count, the clustered flip rate and the uniform bit rate are what was asked
/// (statistical bounds of six standard deviations), padding is zero, and bad command lines exit 2.
/// </summary>
public class GenerateTests
{
    [Theory]
    [InlineData(false, 64)]
    [InlineData(true, 64)]
    [InlineData(true, 130)]
    public void TheSameSeedGivesTheSameCodesWhateverTheThreadCount(bool clustered, int bits)
    {
        GeneratedKind kind = clustered ? GeneratedKind.Clustered : GeneratedKind.Uniform;
        var layout = new CodeLayout(bits);
        int count = 3 * CodeGenerator.ChunkCodes + 123; // chunks of both sizes
        ulong[] Draw(ulong seed, int threads)
        {
            var codes = new ulong[count * layout.WordsPerCode];
            new CodeGenerator(layout, kind, seed, centres: 1000, flip: 0.1).Fill(0, 0, codes, threads);
            return codes;
        }
        ulong[] one = Draw(7, 1);
        Assert.Equal(one, Draw(7, 2));
        Assert.Equal(one, Draw(7, 5));
        Assert.NotEqual(one, Draw(8, 2));
        // A chunk drawn on its own is the same chunk.
        var second = new ulong[CodeGenerator.ChunkCodes * layout.WordsPerCode];
        new CodeGenerator(layout, kind, 7, centres: 1000, flip: 0.1).FillChunk(0, 1, second);
        Assert.True(second.AsSpan().SequenceEqual(one.AsSpan(second.Length, second.Length)));
        // The query stream is another stream.
        var queries = new ulong[100 * layout.WordsPerCode];
        new CodeGenerator(layout, kind, 7, centres: 1000, flip: 0.1).Fill(1, 0, queries, 2);
        Assert.False(queries.AsSpan().SequenceEqual(one.AsSpan(0, queries.Length)));
    }

    [Theory]
    [InlineData(64, 0.1)]
    [InlineData(100, 0.1)]
    [InlineData(64, 0.3)]
    [InlineData(65, 0.01)]
    public void ClusteredCodesFlipEachBitOfTheirCentreAtTheAskedRate(int bits, double flip)
    {
        var layout = new CodeLayout(bits);
        var generator = new CodeGenerator(layout, GeneratedKind.Clustered, 11, centres: 1, flip: flip);
        Assert.InRange(generator.EffectiveFlip, flip - 1.0 / (1 << 25), flip + 1.0 / (1 << 25));
        const int Count = 100_000;
        int words = layout.WordsPerCode;
        var codes = new ulong[Count * words];
        generator.Fill(0, 0, codes, 2);
        var centre = new ulong[words];
        for (int w = 0; w < words; w++) centre[w] = generator.CentreWord(0, w);
        centre[words - 1] &= layout.LastWordMask;
        var perBit = new long[bits];
        long flips = 0, unchanged = 0;
        for (int i = 0; i < Count; i++)
        {
            int d = 0;
            for (int w = 0; w < words; w++)
            {
                ulong diff = codes[i * words + w] ^ centre[w];
                Assert.Equal(0UL, w == words - 1 ? codes[i * words + w] & ~layout.LastWordMask : 0UL); // zero padding
                d += BitOperations.PopCount(diff);
                for (; diff != 0; diff &= diff - 1) perBit[w * 64 + BitOperations.TrailingZeroCount(diff)]++;
            }
            flips += d;
            if (d == 0) unchanged++;
        }
        double p = generator.EffectiveFlip, trials = (double)Count * bits;
        Assert.InRange(flips / trials, p - 6 * Math.Sqrt(p * (1 - p) / trials), p + 6 * Math.Sqrt(p * (1 - p) / trials));
        double sd = Math.Sqrt(p * (1 - p) / Count);
        Assert.All(perBit, c => Assert.InRange(c / (double)Count, p - 6 * sd, p + 6 * sd));
        // Bits flip independently: the share of codes with no flip is (1 - p)^bits.
        double none = Math.Pow(1 - p, bits), noneSd = Math.Sqrt(none * (1 - none) / Count);
        Assert.InRange(unchanged / (double)Count, none - 6 * noneSd - 1e-9, none + 6 * noneSd + 1e-9);
    }

    [Fact]
    public void UniformCodesHaveFairBitsAndClusteredCodesUseEveryCentre()
    {
        var layout = new CodeLayout(64);
        const int Count = 50_000;
        var codes = new ulong[Count];
        new CodeGenerator(layout, GeneratedKind.Uniform, 3).Fill(0, 0, codes, 2);
        long ones = codes.Sum(c => (long)BitOperations.PopCount(c));
        double trials = Count * 64.0, sd = Math.Sqrt(0.25 / trials);
        Assert.InRange(ones / trials, 0.5 - 6 * sd, 0.5 + 6 * sd);
        // flip 0: every clustered code is one of the centres, and 8 centres all appear about equally often.
        var generator = new CodeGenerator(layout, GeneratedKind.Clustered, 3, centres: 8, flip: 0);
        generator.Fill(0, 0, codes, 2);
        var centres = Enumerable.Range(0, 8).Select(c => generator.CentreWord((ulong)c, 0)).ToArray();
        var counts = codes.GroupBy(c => Array.IndexOf(centres, c)).ToDictionary(g => g.Key, g => g.Count());
        Assert.DoesNotContain(-1, counts.Keys);
        Assert.Equal(8, counts.Count);
        double share = Count / 8.0, shareSd = Math.Sqrt(Count * (1 / 8.0) * (7 / 8.0));
        Assert.All(counts.Values, c => Assert.InRange(c, share - 6 * shareSd, share + 6 * shareSd));
    }

    [Fact]
    public async Task GenerateWritesTheStoreAndQueriesAndTheSameBytesForAnyThreadCount()
    {
        using var dir = new TempDir();
        string a = dir.File("a.hstore"), b = dir.File("b.hstore"), q = dir.File("q.codes");
        var run = CliRunner.Run("generate", "-n", "70000", "--kind", "clustered", "--centres", "500", "--bits", "100", "--seed", "9",
            "--threads", "1", "--out", a, "--queries", "25", "--queries-out", q, "--flush-every", "30000");
        Assert.True(run.Status == 0, run.Error);
        run = CliRunner.Run("generate", "-n", "70000", "--kind", "clustered", "--centres", "500", "--bits", "100", "--seed", "9", "--threads", "2", "--out", b);
        Assert.True(run.Status == 0, run.Error);
        using CodeStore first = CodeStore.Open(a), second = CodeStore.Open(b);
        Assert.Equal(70000, first.Count);
        Assert.Equal(100, first.Bits);
        using CodeStoreSnapshot x = first.AcquireSnapshot(), y = second.AcquireSnapshot();
        Assert.Equal(x.BlockCount, y.BlockCount);
        for (int block = 0; block < x.BlockCount; block++)
        {
            CodeBlock bx = x.GetBlock(block), by = y.GetBlock(block);
            Assert.True(bx.Codes.SequenceEqual(by.Codes));
            for (int i = 0; i < bx.Count; i++) Assert.Equal(bx.FirstPosition + i, bx.Ids[i]); // ids are positions
        }
        await using RawCodeReader reader = RawCodeReader.Open(q);
        Assert.Equal(25, reader.Count);
        Assert.Equal(100, reader.Layout.Bits);
    }

    [Theory]
    [InlineData("generate", "--out", "x.hstore")] // no count
    [InlineData("generate", "-n", "10")] // no output
    [InlineData("generate", "-n", "-1", "--out", "x.hstore")]
    [InlineData("generate", "-n", "10", "--out", "x.hstore", "--bits", "5")]
    [InlineData("generate", "-n", "10", "--out", "x.hstore", "--flip", "1.5")]
    [InlineData("generate", "-n", "10", "--out", "x.hstore", "--centres", "0")]
    [InlineData("generate", "-n", "10", "--out", "x.hstore", "--queries", "5")] // no --queries-out
    [InlineData("generate", "-n", "10", "--out", "x.hstore", "--queries-out", "q.codes")] // no --queries
    [InlineData("generate", "-n", "10", "--out", "x.hstore", "--threads", "0")]
    [InlineData("generate", "-n", "10", "--out", "x.hstore", "--kind", "gaussian")]
    public void BadCommandLinesAreUsageErrors(params string[] args)
    {
        using var dir = new TempDir();
        string[] inDir = args.Select(a => a.EndsWith(".hstore", StringComparison.Ordinal) || a.EndsWith(".codes", StringComparison.Ordinal) ? dir.File(a) : a).ToArray();
        var result = CliRunner.Run(inDir);
        Assert.Equal(2, result.Status);
        Assert.Contains("hamming: usage:", result.Error);
        Assert.Empty(Directory.GetFiles(dir.Path)); // nothing written
    }

    [Fact]
    public void AnExistingOutputIsRefusedWithoutOverwrite()
    {
        using var dir = new TempDir();
        string store = dir.File("s.hstore");
        File.WriteAllText(store, "keep me");
        var result = CliRunner.Run("generate", "-n", "10", "--out", store);
        Assert.NotEqual(0, result.Status);
        Assert.Contains("--overwrite", result.Error);
        Assert.Equal("keep me", File.ReadAllText(store));
        Assert.Equal(0, CliRunner.Run("generate", "-n", "10", "--out", store, "--overwrite").Status);
        using CodeStore written = CodeStore.Open(store);
        Assert.Equal(10, written.Count);
    }
}
