using System.Numerics;
using HammingIndex.Codes;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Storage;

/// <summary>
/// What a store past RAM relies on, without gigabytes: the position, block, chunk and file-offset
/// arithmetic past 2^31 (checked against BigInteger), the one shared map an opened store costs (read
/// from /proc/self/maps), and the lazily built id index against one kept current from the start.
/// </summary>
public class LargeStoreTests
{
    public static TheoryData<long, int> Counts => new()
    {
        { 0, 6 }, { 1, 6 }, { (1L << 31) - 1, 17 }, { 1L << 31, 17 }, { (1L << 31) + 1, 6 }, { 1_000_000_000, 17 },
        { 5_000_000_007, 17 }, { 1L << 36, 20 }, { (1L << 37) - 3, 6 }, { 1L << 40, 24 },
    };

    [Theory]
    [MemberData(nameof(Counts))]
    public void BlockCountsPastTwoToThe31AreExactOrRefused(long count, int capacityLog2)
    {
        BigInteger blocks = (new BigInteger(count) + (BigInteger.One << capacityLog2) - 1) >> capacityLog2;
        if (blocks > int.MaxValue)
        {
            var e = Assert.Throws<InvalidOperationException>(() => StoreMemory.BlocksFor(count, capacityLog2));
            Assert.Contains(count.ToString(), e.Message);
        }
        else
        {
            Assert.Equal((int)blocks, StoreMemory.BlocksFor(count, capacityLog2));
        }
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public void FileOffsetsPastTwoToThe31AreExact(long count, int capacityLog2)
    {
        foreach (int bits in new[] { 64, 65, 256 })
        {
            var layout = new CodeLayout(bits);
            if (StoreFileFormat.CheckCapacity(layout, capacityLog2) is not null) continue;
            var format = new StoreFileFormat(layout, capacityLog2);
            BigInteger capacity = BigInteger.One << capacityLog2;
            BigInteger blocks = (count + capacity - 1) / capacity;
            Assert.Equal(blocks, new BigInteger(format.BlocksFor(count)));
            long last = (long)BigInteger.Max(0, blocks - 1);
            BigInteger stride = (capacity * (layout.BytesPerCode + 16) + StoreFileFormat.TrailerBytes + 4095) / 4096 * 4096;
            Assert.Equal(stride, new BigInteger(format.Stride));
            Assert.Equal(4096 + last * stride, new BigInteger(format.BlockOffset(last)));
            Assert.Equal(4096 + blocks * stride, new BigInteger(format.FileLength((long)blocks)));
            BigInteger filled = BigInteger.Min(capacity, BigInteger.Max(0, count - last * capacity));
            Assert.Equal(filled, new BigInteger(format.FilledIn(last, count)));
        }
    }

    [Theory]
    [MemberData(nameof(Counts))]
    public void ChunksOfAnyStoreAreNumberedByAnInt(long count, int capacityLog2)
    {
        foreach ((int bytesPerCode, int chunkBytes) in new[] { (8, 256 * 1024), (8, 64), (512, 64), (64, 1 << 20) })
        {
            int log2 = StoreChunks.ChunkLog2(count, bytesPerCode, chunkBytes, capacityLog2);
            Assert.InRange(log2, 0, capacityLog2);
            BigInteger chunks = (new BigInteger(count) + (BigInteger.One << log2) - 1) >> log2;
            BigInteger blocks = (new BigInteger(count) + (BigInteger.One << capacityLog2) - 1) >> capacityLog2;
            if (blocks <= int.MaxValue) Assert.True(chunks <= int.MaxValue, $"{chunks} chunks of 2^{log2} for {count} codes");
            // No larger than asked for unless the count needs it.
            int asked = Math.Min(BitOperations.Log2((uint)Math.Max(1, chunkBytes / bytesPerCode)), capacityLog2);
            if (log2 > asked) Assert.True(((new BigInteger(count) + (BigInteger.One << (log2 - 1)) - 1) >> (log2 - 1)) > int.MaxValue);
        }
    }

    [Theory]
    [InlineData(1_000_000_000L, 17, 0L, 7630L)]
    [InlineData(1_000_000_000L, 17, 1_000_000_000L, 1L + 1)] // 7629 full blocks share one view, plus the partly filled one
    [InlineData(1L << 30, 17, 1L << 30, 1L)]
    [InlineData(1_000_000_000L, 20, 0L, 954L)]
    [InlineData(0L, 17, 0L, 0L)]
    public void ViewsOfAStore(long count, int capacityLog2, long openedCount, long views) =>
        Assert.Equal(views, MappedStoreMemory.ViewsFor(count, openedCount, capacityLog2));

    [Fact]
    public void AnOpenedStoreMapsItsFullBlocksOnceAndReadsAndDeletesThroughThatMap()
    {
        if (!OperatingSystem.IsLinux()) return; // /proc/self/maps
        using var dir = new TempDirectory();
        string path = dir.File("big.hstore");
        var random = new Random(5);
        const int Count = 64 * 40 + 17; // 40 full blocks of 64 and a partly filled one
        var codes = new ulong[Count];
        var ids = new long[Count];
        for (int i = 0; i < Count; i++) (codes[i], ids[i]) = ((ulong)random.NextInt64(), random.NextInt64());
        using (CodeStore store = CodeStore.Create(path, 64, new CodeStoreOptions { BlockCapacity = 64 }))
        {
            store.AppendRange(codes, ids);
        }
        using (CodeStore store = CodeStore.Open(path))
        {
            Assert.InRange(MapsOf(path), 1, 2); // the 40 full blocks, and the last block (not 41)
            using (CodeStoreSnapshot snapshot = store.AcquireSnapshot())
            {
                for (int b = 0; b < snapshot.BlockCount; b++)
                {
                    CodeBlock block = snapshot.GetBlock(b);
                    Assert.True(block.Codes.SequenceEqual(codes.AsSpan((int)block.FirstPosition, block.Count)));
                    Assert.True(block.Ids.SequenceEqual(ids.AsSpan((int)block.FirstPosition, block.Count)));
                }
            }
            Assert.Equal(1, store.TryDelete(ids[100]));
            store.AppendRange(codes.AsSpan(0, 200), ids.AsSpan(0, 200));
            Assert.Equal(Count, store.Verify()); // the committed codes, through the shared map
        }
        Assert.Equal(0, MapsOf(path));
        using (CodeStore store = CodeStore.Open(path, new CodeStoreOptions { VerifyOnOpen = true }))
        {
            Assert.Equal(Count + 200, store.Count);
            Assert.Equal(Count + 200 - 1, store.LiveCount);
            Assert.InRange(MapsOf(path), 1, 2); // 43 full blocks now share one map
            var scan = new ScanSearcher(store);
            Neighbor[] hit = scan.WithinRadius(new[] { codes[100] }, 0);
            Assert.Equal([new Neighbor(ids[100], 0)], hit); // the appended copy; the deleted original is skipped
        }
    }

    /// <summary>Mappings of <paramref name="path"/> in this process (lines of /proc/self/maps naming it).</summary>
    private static int MapsOf(string path) =>
        File.ReadLines("/proc/self/maps").Count(l => l.EndsWith(" " + Path.GetFullPath(path), StringComparison.Ordinal));

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    public void IdLookupsOnTheLazilyBuiltIndexEqualTheOneKeptFromTheStart(int seed, bool inFile)
    {
        using var dir = new TempDirectory();
        var random = new Random(seed);
        int bits = random.Next(2) == 0 ? 64 : 130;
        var layout = new CodeLayout(bits);
        var options = new CodeStoreOptions { BlockCapacity = 64 };
        CodeStore Make(string name) => inFile ? CodeStore.Create(dir.File(name), bits, options) : CodeStore.CreateInMemory(bits, options);
        using CodeStore eager = Make("eager.hstore");
        CodeStore lazy = Make("lazy.hstore");
        try
        {
            Assert.False(eager.Contains(-1)); // builds the (empty) index now: every append below keeps it current
            int total = 0;
            var deleted = new List<long>();
            for (int round = 0; round < 6; round++)
            {
                int n = random.Next(0, 300);
                var codes = new ulong[n * layout.WordsPerCode];
                var ids = new long[n];
                for (int i = 0; i < codes.Length; i++) codes[i] = (ulong)random.NextInt64();
                for (int i = layout.WordsPerCode - 1; i < codes.Length; i += layout.WordsPerCode) codes[i] &= layout.LastWordMask;
                for (int i = 0; i < n; i++) ids[i] = random.Next(0, 400); // duplicates on purpose
                eager.AppendRange(codes, ids);
                lazy.AppendRange(codes, ids);
                total += n;
                if (round == 2)
                {
                    long id = random.Next(0, 400);
                    Assert.Equal(eager.TryDelete(id), lazy.TryDelete(id)); // builds the lazy one mid-way
                    deleted.Add(id);
                }
            }
            if (inFile)
            {
                lazy.Dispose(); // reopened: the index is rebuilt from the file on the first lookup
                lazy = CodeStore.Open(dir.File("lazy.hstore"));
            }
            Assert.Equal(eager.Count, lazy.Count);
            var a = new ulong[layout.WordsPerCode];
            var b = new ulong[layout.WordsPerCode];
            for (long id = -5; id < 410; id++)
            {
                Assert.Equal(eager.Contains(id), lazy.Contains(id));
                Assert.Equal(eager.TryGetCode(id, a), lazy.TryGetCode(id, b));
                Assert.True(a.AsSpan().SequenceEqual(b));
            }
            Assert.All(deleted, id => Assert.Equal(eager.Contains(id), lazy.Contains(id)));
            long gone = random.Next(0, 400);
            Assert.Equal(eager.TryDelete(gone), lazy.TryDelete(gone));
            Assert.Equal(eager.LiveCount, lazy.LiveCount);
            Assert.True(total > 0);
        }
        finally
        {
            lazy.Dispose();
        }
    }
}
