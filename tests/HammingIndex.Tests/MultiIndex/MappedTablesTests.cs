using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HammingIndex.Codes;
using HammingIndex.Indexing;
using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Storage;
using HammingIndex.Tests.Storage;

namespace HammingIndex.Tests.MultiIndex;

/// <summary>
/// Tables built out of core into a mapped file (format v3): equal to brute force and to the same build
/// in memory, in both layouts (the two-level one forced on small stores), with any memory budget the
/// same bytes; appends and deletes after the build; damaged files refused or caught, never read past.
/// </summary>
public sealed class MappedTablesTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string NewPath() => _directory.File(Guid.NewGuid().ToString("N") + MultiIndexHash.FileExtension);

    private static readonly int[] OddBits = [8, 13, 37, 64, 100, 128];

    private sealed record Case(int Bits, int Count, int SubstringCount, int DirectMaxBits, bool Clustered, bool Codes, int Seed);

    private static Arbitrary<Case> Cases { get; } = Arb.From(
        from bits in Gen.Elements(OddBits)
        from count in Gen.Frequency((1, Gen.Choose(0, 5)), (6, Gen.Choose(6, 3000)))
        from m in Gen.Choose(SubstringSplit.MinCount(bits), Math.Min(bits, 5))
        from direct in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(0, TableShape.MaxDirectoryBits)))
        from clustered in Gen.Elements(false, true)
        from codes in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue)
        select new Case(bits, count, m, direct, clustered, codes, seed));

    private static MultiIndexOptions Options(Case c, long budget = 0) =>
        new() { SubstringCount = c.SubstringCount, DirectTableMaxBits = c.DirectMaxBits, CodesInTables = c.Codes, BuildMemoryBudgetBytes = budget };

    private static (CodeStore Store, ReferenceSearch Reference, ulong[] Codes) Populate(Case c, Random rng)
    {
        var layout = new CodeLayout(c.Bits);
        var store = CodeStore.CreateInMemory(c.Bits);
        var reference = new ReferenceSearch(layout.WordsPerCode);
        ulong[] codes = c.Clustered ? TestCodes.Clustered(rng, layout, c.Count, 1 + rng.Next(5), 0.05) : TestCodes.Uniform(rng, layout, c.Count);
        long[] ids = Enumerable.Range(0, c.Count).Select(i => (long)i).ToArray();
        store.AppendRange(codes, ids);
        reference.Add(codes, ids);
        foreach (long id in ids.Where(_ => rng.Next(8) == 0)) { store.TryDelete(id); reference.Delete(id); }
        return (store, reference, codes);
    }

    private static void AssertSearchesEqual(Case c, Random rng, ReferenceSearch reference, ulong[] codes, params MultiIndexHash[] indexes)
    {
        var layout = new CodeLayout(c.Bits);
        for (int q = 0; q < 4; q++)
        {
            ulong[] query = codes.Length == 0 || q == 0 ? TestCodes.Uniform(rng, layout, 1) : TestCodes.QueryNear(rng, layout, codes, 0.05);
            foreach (int radius in new[] { 0, 1, 3, rng.Next(c.Bits + 1), c.Bits })
            {
                Neighbor[] expected = reference.WithinRadius(query, radius);
                foreach (MultiIndexHash index in indexes) Assert.Equal(expected, index.WithinRadius(query, radius));
            }
            foreach (int k in new[] { 1, 10, reference.Count + 2 })
            {
                Neighbor[] expected = reference.TopK(query, k);
                foreach (MultiIndexHash index in indexes) Assert.Equal(expected, index.TopK(query, k));
            }
        }
    }

    [Property(MaxTest = 40)]
    public Property MappedTablesEqualTheInMemoryBuildAndBruteForce() => Prop.ForAll(Cases, c =>
    {
        var rng = new Random(c.Seed);
        var (store, reference, codes) = Populate(c, rng);
        using (store)
        {
            var inMemory = new MultiIndexHash(store, Options(c));
            string path = NewPath();
            MultiIndexHash mapped = MultiIndexHash.Build(store, path, Options(c));
            Assert.True(mapped.IsMapped);
            Assert.False(inMemory.IsMapped);
            Assert.Equal(ImageBytes(inMemory), File.ReadAllBytes(path)); // one format in memory and on disk
            if (c.DirectMaxBits == 0) Assert.All(mapped.Tables.Tables, t => Assert.False(t.IsDirect));
            AssertSearchesEqual(c, rng, reference, codes, inMemory, mapped, MultiIndexHash.Open(store, path, Options(c)));
            mapped.Verify();
        }
    });

    [Property(MaxTest = 20)]
    public Property ATinyMemoryBudgetBuildsTheSameBytes() => Prop.ForAll(Cases, c =>
    {
        var rng = new Random(c.Seed);
        var (store, _, _) = Populate(c, rng);
        using (store)
        {
            string unbounded = NewPath(), tiny = NewPath();
            MultiIndexHash.Build(store, unbounded, Options(c));
            MultiIndexHash.Build(store, tiny, Options(c, budget: 1 + rng.Next(200))); // a pass per few buckets
            Assert.Equal(File.ReadAllBytes(unbounded), File.ReadAllBytes(tiny));
        }
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ABuildThatReleasesAFileStorePageByPageLosesNothing(bool flushedFirst)
    {
        // Blocks of 4,096 64-bit codes span whole pages, so the build's passes really drop each block
        // from the resident set (and the tables' written sections after each pass). Unflushed blocks are
        // dirty pages of a shared map: dropping the mapping must keep them in the page cache.
        var rng = new Random(flushedFirst ? 11 : 12);
        var layout = new CodeLayout(64);
        ulong[] codes = TestCodes.Clustered(rng, layout, 5 * 4096 + 1234, 40, 0.05);
        long[] ids = Enumerable.Range(0, codes.Length).Select(i => 7L * i).ToArray();
        string storePath = _directory.File(Guid.NewGuid().ToString("N") + ".hstore"), tablesPath = storePath + MultiIndexHash.FileExtension;
        var options = new MultiIndexOptions { SubstringCount = 2, BuildMemoryBudgetBytes = 20_000 };
        using (CodeStore store = CodeStore.Create(storePath, 64, new CodeStoreOptions { BlockCapacity = 4096 }))
        {
            store.AppendRange(codes, ids);
            if (flushedFirst) store.Flush();
            MultiIndexHash mapped = MultiIndexHash.Build(store, tablesPath, options);
            Assert.Equal(ImageBytes(new MultiIndexHash(store, options)), File.ReadAllBytes(tablesPath)); // native tables: nothing released on their side
            AssertCodesAre(store, codes, ids);
            var reference = new ReferenceSearch(1);
            reference.Add(codes, ids);
            for (int q = 0; q < 8; q++)
            {
                ulong[] query = TestCodes.QueryNear(rng, layout, codes, 0.05);
                Assert.Equal(reference.WithinRadius(query, 6), mapped.WithinRadius(query, 6));
                Assert.Equal(reference.TopK(query, 10), mapped.TopK(query, 10));
            }
            store.Flush();
        }
        foreach (bool? advise in new bool?[] { null, false, true })
        {
            // Reopened, its committed blocks are one map: advised for random access (as a store larger than
            // half the memory is) or not, the first-read checks, scans, a rebuild and searches all agree.
            using CodeStore reopened = CodeStore.Open(storePath, new CodeStoreOptions { AdviseRandomAccess = advise });
            var scan = new ScanSearcher(reopened);
            var reference = new ReferenceSearch(1);
            reference.Add(codes, ids);
            ulong[] queries = TestCodes.QueryNear(rng, layout, codes, 0.05).Concat(TestCodes.Uniform(rng, layout, 2)).ToArray();
            Neighbor[][] within = scan.WithinRadiusBatch(queries, 5), nearest = scan.TopKBatch(queries, 7);
            for (int q = 0; q < 3; q++)
            {
                Assert.Equal(reference.WithinRadius(queries.AsSpan(q, 1).ToArray(), 5), within[q]);
                Assert.Equal(reference.TopK(queries.AsSpan(q, 1).ToArray(), 7), nearest[q]);
            }
            Assert.Equal(codes.Length, MultiIndexHash.Open(reopened, tablesPath, options).IndexedCount);
            MultiIndexHash rebuilt = MultiIndexHash.Build(reopened, tablesPath, options);
            Assert.Equal(reference.TopK(queries.AsSpan(0, 1).ToArray(), 10), rebuilt.TopK(queries.AsSpan(0, 1), 10));
            AssertCodesAre(reopened, codes, ids);
            Assert.Equal(codes.Length, reopened.Verify()); // every block against its checksum
        }
    }

    private static void AssertCodesAre(CodeStore store, ulong[] codes, long[] ids)
    {
        var code = new ulong[1];
        for (int i = 0; i < ids.Length; i++)
        {
            Assert.True(store.TryGetCode(ids[i], code), $"id {ids[i]}");
            Assert.Equal(codes[i], code[0]);
        }
    }

    [Fact]
    public void TheTwoLevelLayoutHoldsAboutFiveBytesAnEntryAtABillionThirtyTwoBitSubstrings()
    {
        // The shape a billion 64-bit codes get at m = 2: a directory on the high 24 bits, one byte of low bits.
        TableShape billion = TableShape.Choose(32, 1_000_000_000, 0, TableShape.MaxDirectoryBits);
        Assert.Equal((24, 1), (billion.DirectoryBits, billion.LowBytes));
        var layout = new MultiIndexFile.Layout([billion, billion]);
        Assert.InRange(layout.Length / 1e9, 10.0, 10.2); // bytes per code, both tables

        // A built two-level table at 32 bits is that shape scaled down (fewer directory bits at smaller n).
        const int n = 200_000;
        using var store = TestCodes.InMemoryStore(64, TestCodes.Uniform(new Random(4), new CodeLayout(64), n));
        var index = new MultiIndexHash(store, new MultiIndexOptions { SubstringCount = 2, CodesInTables = false });
        foreach (MultiIndexHashTable table in index.Tables.Tables)
        {
            Assert.Equal(TableShape.Choose(32, n, 0, TableShape.MaxDirectoryBits), table.Shape);
            Assert.False(table.IsDirect);
            Assert.Equal(n, table.PositionCount);
        }
    }

    [Fact]
    public void AppendsAndDeletesAfterAMappedBuildAreSearchedAndARebuildRewritesTheFile()
    {
        var c = new Case(64, 3000, 2, 0, true, false, 11);
        var rng = new Random(c.Seed);
        var (store, reference, codes) = Populate(c, rng);
        using (store)
        {
            string path = NewPath();
            MultiIndexHash index = MultiIndexHash.Build(store, path, Options(c));
            ulong[] more = TestCodes.Clustered(rng, store.Layout, 500, 3, 0.05);
            long[] ids = Enumerable.Range(5000, 500).Select(i => (long)i).ToArray();
            store.AppendRange(more, ids);
            reference.Add(more, ids);
            foreach (long id in new long[] { 1, 2, 3, 5000, 5001, 2999 }) { store.TryDelete(id); reference.Delete(id); }
            Assert.Equal(500, index.DeltaCount);
            AssertSearchesEqual(c, rng, reference, [.. codes, .. more], index);
            index.Rebuild();
            Assert.True(index.IsMapped);
            Assert.Equal(0, index.DeltaCount);
            Assert.Equal(3500, MultiIndexHash.Open(store, path, Options(c)).IndexedCount); // the rebuild went to the file
            AssertSearchesEqual(c, rng, reference, [.. codes, .. more], index);
        }
    }

    [Fact]
    public void ACancelledBuildLeavesNoFileAndTheOldOneAsItWas()
    {
        var c = new Case(64, 3000, 3, 0, false, true, 3);
        var (store, _, _) = Populate(c, new Random(c.Seed));
        using (store)
        {
            string path = NewPath();
            MultiIndexHash.Build(store, path, Options(c));
            byte[] before = File.ReadAllBytes(path);
            store.AppendRange(TestCodes.Uniform(new Random(1), store.Layout, 100), Enumerable.Range(9000, 100).Select(i => (long)i).ToArray());
            using var cancel = new CancellationTokenSource();
            var progress = new SynchronousProgress(p => cancel.Cancel()); // cancelled once the first table is done
            Assert.ThrowsAny<OperationCanceledException>(() => MultiIndexHash.Build(store, path, Options(c), progress, cancel.Token));
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.False(File.Exists(path + ".tmp"));
            string fresh = NewPath();
            Assert.ThrowsAny<OperationCanceledException>(() => MultiIndexHash.Build(store, fresh, Options(c), null, cancel.Token));
            Assert.False(File.Exists(fresh));
            Assert.False(File.Exists(fresh + ".tmp"));
        }
    }

    [Fact]
    public void DamagedSectionsOfAFileOpenedUncheckedAreCaughtBySearchesOrVerifyNeverReadPast()
    {
        var c = new Case(64, 3000, 2, 0, false, true, 8);
        var rng = new Random(c.Seed);
        var (store, _, codes) = Populate(c, rng);
        using (store)
        {
            string path = NewPath();
            MultiIndexHash.Build(store, path, Options(c));
            byte[] original = File.ReadAllBytes(path);
            var unverified = new MultiIndexOptions { SubstringCount = 2, DirectTableMaxBits = 0, CodesInTables = true, VerifyOnOpenMaxBytes = 0 };
            int caughtBySearch = 0;
            for (int trial = 0; trial < 150; trial++)
            {
                byte[] damaged = (byte[])original.Clone();
                int offset = MultiIndexFile.PageBytes + rng.Next(original.Length - MultiIndexFile.PageBytes); // past the header page
                damaged[offset] ^= (byte)(1 << rng.Next(8));
                File.WriteAllBytes(path, damaged);
                MultiIndexHash index;
                try
                {
                    index = MultiIndexHash.Open(store, path, unverified);
                }
                catch (MultiIndexFileException e)
                {
                    Assert.Equal(MultiIndexFileError.Corrupt, e.Error); // a directory's first or last offset
                    continue;
                }
                try
                {
                    for (int q = 0; q < 5; q++)
                    {
                        ulong[] query = TestCodes.QueryNear(rng, store.Layout, codes, 0.05);
                        index.TopK(query, 5);
                        index.WithinRadius(query, 4);
                    }
                }
                catch (MultiIndexFileException e)
                {
                    Assert.Equal(MultiIndexFileError.Corrupt, e.Error);
                    Assert.Equal(path, e.Path);
                    Assert.True(e.Offset > 0);
                    caughtBySearch++;
                }
                Assert.Equal(MultiIndexFileError.Corrupt, Assert.Throws<MultiIndexFileException>(() => index.Verify()).Error);
                // The default open verifies a file this small in full.
                Assert.Equal(MultiIndexFileError.Corrupt, Assert.Throws<MultiIndexFileException>(() => MultiIndexHash.Open(store, path, Options(c))).Error);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void OlderFormatVersionsAreRefusedAsUnsupported(int version)
    {
        var c = new Case(64, 500, 0, 26, false, false, 2);
        var (store, _, _) = Populate(c, new Random(2));
        using (store)
        {
            string path = NewPath();
            MultiIndexHash.Build(store, path);
            byte[] bytes = File.ReadAllBytes(path);
            bytes[8] = (byte)version;
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<MultiIndexFileException>(() => MultiIndexHash.Open(store, path));
            Assert.Equal(MultiIndexFileError.UnsupportedVersion, e.Error);
            Assert.Equal(8, e.Offset);
            Assert.Contains("rebuild", e.Message);
            Assert.True(MultiIndexHash.OpenOrBuild(store, path).IsMapped);
        }
    }

    private static unsafe byte[] ImageBytes(MultiIndexHash index)
    {
        TablesImage image = index.Tables.Image;
        return new ReadOnlySpan<byte>(image.Pointer, checked((int)image.Length)).ToArray();
    }

    /// <summary>Reports on the reporting thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<IndexProgress> report) : IProgress<IndexProgress>
    {
        public void Report(IndexProgress value) => report(value);
    }
}
