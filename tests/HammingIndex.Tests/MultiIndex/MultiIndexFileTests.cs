using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HammingIndex.Codes;
using HammingIndex.MultiIndex;
using HammingIndex.Storage;

namespace HammingIndex.Tests.MultiIndex;

/// <summary>Saved tables round-trip, and damaged, foreign or stale files are refused with the specific exception.</summary>
public sealed class MultiIndexFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mih-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string NewPath() => Path.Combine(_directory, Guid.NewGuid().ToString("N") + MultiIndexHash.FileExtension);

    [Property(MaxTest = 25)]
    public Property SavedTablesLoadIdenticalAndSearchTheSame() => Prop.ForAll(MultiIndexCase.Arbitrary, c =>
    {
        var rng = new Random(c.Seed);
        var (store, reference, codes) = c.Populate(rng, c.Count);
        using (store)
        {
            foreach (long id in Enumerable.Range(0, c.Count).Where(_ => rng.Next(6) == 0)) { store.TryDelete(id); reference.Delete(id); }
            var built = new MultiIndexHash(store, c.Options());
            string path = NewPath();
            built.Save(path);
            MultiIndexHash loaded = MultiIndexHash.Load(store, path, c.Options());
            Assert.Equal(built.SubstringLengths, loaded.SubstringLengths);
            Assert.Equal(built.IndexedCount, loaded.IndexedCount);
            for (int j = 0; j < built.SubstringCount; j++)
            {
                MultiIndexHashTable a = built.Tables.Tables[j], b = loaded.Tables.Tables[j];
                Assert.Equal(a.Shape, b.Shape);
                Assert.Equal(a.Offsets.ToArray(), b.Offsets.ToArray());
                Assert.Equal(a.Positions.ToArray(), b.Positions.ToArray());
                Assert.Equal(a.LowBytes.ToArray(), b.LowBytes.ToArray());
                Assert.Equal(a.HasCodes, b.HasCodes);
                Assert.Equal(a.Codes.ToArray(), b.Codes.ToArray());
            }
            Assert.True(loaded.IsMapped);
            Assert.False(built.IsMapped);
            // The file holds one layout (codes in tables or positions only): the other is stale, and OpenOrBuild rebuilds it.
            bool withCodes = c.Options().KeepsCodesInTables(c.Bits, store.Count);
            Assert.Equal(withCodes, loaded.Tables.HasCodes);
            var other = new MultiIndexOptions { SubstringCount = c.SubstringCount, CodesInTables = !withCodes };
            Assert.Equal(MultiIndexFileError.Stale, Assert.Throws<MultiIndexFileException>(() => MultiIndexHash.Load(store, path, other)).Error);
            MultiIndexHash otherLayout = MultiIndexHash.OpenOrBuild(store, path, other);
            Assert.Equal(!withCodes, otherLayout.Tables.HasCodes);
            ulong[] query = TestCodes.QueryNear(rng, c.Layout, codes, 0.05);
            int radius = rng.Next(Math.Min(c.Bits, 12) + 1);
            foreach (MultiIndexHash index in new[] { loaded, otherLayout })
            {
                Assert.Equal(reference.WithinRadius(query, radius), index.WithinRadius(query, radius));
                Assert.Equal(reference.TopK(query, 7), index.TopK(query, 7));
            }
        }
    });

    [Fact]
    public void EveryFlippedByteIsRefusedAsCorruptOrForeign()
    {
        using CodeStore store = SmallStore(out string path);
        byte[] original = File.ReadAllBytes(path);
        var rng = new Random(5);
        // Every header byte, then a sample of body bytes.
        IEnumerable<int> offsets = Enumerable.Range(0, Math.Min(original.Length, 200)).Concat(Enumerable.Range(0, 300).Select(_ => rng.Next(original.Length)));
        foreach (int offset in offsets)
        {
            byte[] damaged = (byte[])original.Clone();
            damaged[offset] ^= (byte)(1 << rng.Next(8));
            File.WriteAllBytes(path, damaged);
            var ex = Assert.Throws<MultiIndexFileException>(() => MultiIndexHash.Load(store, path));
            Assert.Equal(path, ex.Path);
        }
    }

    [Fact]
    public void TruncatedOrExtendedFilesAreRefusedAsCorrupt()
    {
        using CodeStore store = SmallStore(out string path);
        byte[] original = File.ReadAllBytes(path);
        foreach (int length in new[] { 0, 7, 47, 60, original.Length / 2, original.Length - 1, original.Length + 1 })
        {
            byte[] changed = new byte[length];
            original.AsSpan(0, Math.Min(length, original.Length)).CopyTo(changed);
            File.WriteAllBytes(path, changed);
            var ex = Assert.Throws<MultiIndexFileException>(() => MultiIndexHash.Load(store, path));
            Assert.Equal(length < 8 ? MultiIndexFileError.NotAMultiIndexFile : MultiIndexFileError.Corrupt, ex.Error);
        }
    }

    [Fact]
    public void AnotherFormatVersionIsRefusedAsSuch()
    {
        using CodeStore store = SmallStore(out string path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[8] = MultiIndexFile.FormatVersion + 1;
        File.WriteAllBytes(path, bytes);
        Assert.Equal(MultiIndexFileError.UnsupportedVersion, Assert.Throws<MultiIndexFileException>(() => MultiIndexHash.Load(store, path)).Error);
    }

    [Fact]
    public void TablesOfAnotherStoreOrGenerationAreStaleAndOpenOrBuildRebuildsThem()
    {
        using CodeStore store = SmallStore(out string path);
        using CodeStore other = CodeStore.CreateInMemory(64);
        var rng = new Random(9);
        ulong[] codes = TestCodes.Uniform(rng, other.Layout, 500);
        other.AppendRange(codes, Enumerable.Range(0, 500).Select(i => (long)i).ToArray());
        Assert.Equal(MultiIndexFileError.Stale, Assert.Throws<MultiIndexFileException>(() => MultiIndexHash.Load(other, path)).Error);

        store.TryDelete(3);
        store.Compact();
        Assert.Equal(MultiIndexFileError.Stale, Assert.Throws<MultiIndexFileException>(() => MultiIndexHash.Load(store, path)).Error);
        MultiIndexHash rebuilt = MultiIndexHash.OpenOrBuild(store, path);
        Assert.Equal(store.Count, rebuilt.IndexedCount);
        Assert.Equal(store.Generation, MultiIndexHash.Load(store, path).Tables.Generation); // the rebuilt tables were saved
    }

    [Fact]
    public void AFileThatIsNotAMultiIndexIsRefused()
    {
        using CodeStore store = SmallStore(out string path);
        File.WriteAllText(path, "this is not a multi-index file at all, just some text");
        Assert.Equal(MultiIndexFileError.NotAMultiIndexFile, Assert.Throws<MultiIndexFileException>(() => MultiIndexHash.Load(store, path)).Error);
    }

    private CodeStore SmallStore(out string path)
    {
        var rng = new Random(1);
        ulong[] codes = TestCodes.Uniform(rng, new CodeLayout(64), 3000);
        var store = TestCodes.InMemoryStore(64, codes);
        path = NewPath();
        // m = 2 gives 32-bit substrings: two-level tables; the automatic m gives direct ones. Cover both.
        new MultiIndexHash(store, new MultiIndexOptions { SubstringCount = rng.Next(2) == 0 ? 2 : 0 }).Save(path);
        return store;
    }
}

/// <summary>Tables beside a memory-mapped store: saved on first open, loaded on reopen, rebuilt after compaction.</summary>
public sealed class MultiIndexBesideFileStoreTests
{
    [Fact]
    public void TablesAreSavedBesideTheStoreLoadedOnReopenAndRebuiltWhenStale()
    {
        using var directory = new HammingIndex.Tests.Storage.TempDirectory();
        string storePath = directory.File("codes.store");
        var rng = new Random(17);
        var reference = new ReferenceSearch(2);
        ulong[] codes = TestCodes.Clustered(rng, new HammingIndex.Codes.CodeLayout(100), 2000, 5, 0.05);
        long[] ids = Enumerable.Range(0, 2000).Select(i => (long)i).ToArray();
        reference.Add(codes, ids);
        using (CodeStore store = CodeStore.Create(storePath, 100))
        {
            store.AppendRange(codes, ids);
            store.Flush();
            MultiIndexHash.OpenOrBuild(store);
        }
        string tablesPath = storePath + MultiIndexHash.FileExtension;
        Assert.True(File.Exists(tablesPath));
        DateTime written = File.GetLastWriteTimeUtc(tablesPath);

        using (CodeStore store = CodeStore.Open(storePath))
        {
            MultiIndexHash loaded = MultiIndexHash.Load(store, tablesPath); // throws if the saved tables were unusable
            Assert.Equal(2000, loaded.IndexedCount);
            ulong[] query = TestCodes.QueryNear(rng, store.Layout, codes, 0.03);
            Assert.Equal(reference.WithinRadius(query, 6), loaded.WithinRadius(query, 6));
            Assert.Equal(reference.TopK(query, 9), loaded.TopK(query, 9));

            for (long id = 0; id < 2000; id += 7) { store.Delete(id); reference.Delete(id); }
            store.Compact();
            store.Flush();
            Assert.Equal(MultiIndexFileError.Stale, Assert.Throws<MultiIndexFileException>(() => MultiIndexHash.Load(store, tablesPath)).Error);
            MultiIndexHash rebuilt = MultiIndexHash.OpenOrBuild(store);
            Assert.Equal(store.Count, rebuilt.IndexedCount);
            Assert.Equal(reference.TopK(query, 9), rebuilt.TopK(query, 9));
        }
        Assert.True(File.GetLastWriteTimeUtc(tablesPath) >= written);
    }

    /// <summary>
    /// Two file stores that differ only by swapping positions 3 and 4: the first one's tables beside the
    /// second are stale (before the content digest they loaded, and the exact-match query for position 3
    /// returned nothing).
    /// </summary>
    [Fact]
    public void TablesOfAStoreThatDiffersOnlyBySwappedPositionsAreStaleAndRebuilt()
    {
        using var directory = new HammingIndex.Tests.Storage.TempDirectory();
        var rng = new Random(23);
        var layout = new HammingIndex.Codes.CodeLayout(64);
        const int n = 20_000;
        ulong[] codes = TestCodes.Uniform(rng, layout, n);
        long[] ids = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        ulong[] swapped = (ulong[])codes.Clone();
        long[] swappedIds = (long[])ids.Clone();
        (swapped[3], swapped[4]) = (swapped[4], swapped[3]);
        (swappedIds[3], swappedIds[4]) = (swappedIds[4], swappedIds[3]);
        string first = directory.File("first.hstore"), second = directory.File("second.hstore");
        using (CodeStore store = CodeStore.Create(first, 64, new CodeStoreOptions { BlockCapacity = 1024 }))
        {
            store.AppendRange(codes, ids);
            store.Flush();
            MultiIndexHash.OpenOrBuild(store);
        }
        using CodeStore other = CodeStore.Create(second, 64, new CodeStoreOptions { BlockCapacity = 1024 });
        other.AppendRange(swapped, swappedIds);
        other.Flush();
        File.Copy(first + MultiIndexHash.FileExtension, second + MultiIndexHash.FileExtension);

        var ex = Assert.Throws<MultiIndexFileException>(() => MultiIndexHash.Load(other, second + MultiIndexHash.FileExtension));
        Assert.Equal(MultiIndexFileError.Stale, ex.Error);
        Assert.Contains("content digest", ex.Message);
        MultiIndexHash index = MultiIndexHash.OpenOrBuild(other);
        ulong[] query = swapped[3..4];
        Assert.Contains(new HammingIndex.Search.Neighbor(4, 0), index.WithinRadius(query, 0));
        Assert.Equal(new HammingIndex.Search.Neighbor(4, 0), index.TopK(query, 1)[0]);
        // Unflushed appends are bound too: the same count with other codes is stale.
        other.Append(codes.AsSpan(0, 1), 99);
        index.Rebuild();
        index.Save(second + MultiIndexHash.FileExtension);
        Assert.Equal(n + 1, MultiIndexHash.Load(other, second + MultiIndexHash.FileExtension).IndexedCount);
    }

    [Fact]
    public void AnOlderFormatVersionIsRefusedSoOpenOrBuildRebuilds()
    {
        using var directory = new HammingIndex.Tests.Storage.TempDirectory();
        string storePath = directory.File("codes.store");
        using CodeStore store = CodeStore.Create(storePath, 64);
        store.AppendRange(TestCodes.Uniform(new Random(2), store.Layout, 500), Enumerable.Range(0, 500).Select(i => (long)i).ToArray());
        MultiIndexHash.OpenOrBuild(store);
        string tablesPath = storePath + MultiIndexHash.FileExtension;
        byte[] bytes = File.ReadAllBytes(tablesPath);
        bytes[8] = 1; // version 1: the sampled fingerprint
        File.WriteAllBytes(tablesPath, bytes);
        var ex = Assert.Throws<MultiIndexFileException>(() => MultiIndexHash.Load(store, tablesPath));
        Assert.Equal(MultiIndexFileError.UnsupportedVersion, ex.Error);
        Assert.Contains("older", ex.Message);
        Assert.Equal("1", ex.Actual);
        Assert.Equal(500, MultiIndexHash.OpenOrBuild(store).IndexedCount);
        Assert.Equal(500, MultiIndexHash.Load(store, tablesPath).IndexedCount); // rebuilt and saved in the current version
    }

    [Fact]
    public void AnInMemoryStoreHasNoPlaceBesideIt()
    {
        using CodeStore store = CodeStore.CreateInMemory(64);
        Assert.Equal("store", Assert.Throws<ArgumentException>(() => MultiIndexHash.OpenOrBuild(store)).ParamName);
    }
}
