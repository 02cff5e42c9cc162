using HammingIndex.Codes;
using HammingIndex.MultiIndex;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Storage;

/// <summary>
/// The committed header carries the store's content digest, so tables bind to a store of any size in
/// one read: the digest it carries equals the one computed from every block's checksum record, after
/// any mix of appends, deletes, flushes and compaction, across reopen; a slot written without one (an
/// older writer) falls back to computing it; and the tables' staleness check really reads it.
/// </summary>
public class HeaderDigestTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static ulong Computed(CodeStore store) => Digest(store, (m, count, generation) => m.ContentDigest(count, generation));

    private static ulong Binding(CodeStore store) => Digest(store, (m, count, generation) => m.BindingDigest(count, generation));

    private static ulong Digest(CodeStore store, Func<StoreMemory, long, long, ulong> digest)
    {
        StoreMemory memory = store.AcquireMemory(out long count, out long generation);
        try
        {
            return digest(memory, count, generation);
        }
        finally
        {
            memory.Release();
        }
    }

    /// <summary>The newest valid header slot of a closed store file.</summary>
    /// <summary>A committed store of <paramref name="count"/> random 64-bit codes in 64-code blocks (and its tables, built before it closes).</summary>
    private string Committed(string name, int count, int seed, bool withTables)
    {
        string path = _directory.File(name);
        var rng = new Random(seed);
        using CodeStore store = CodeStore.Create(path, 64, new CodeStoreOptions { BlockCapacity = 64 });
        for (int i = 0; i < count; i++) store.Append(StoreModel.RandomCode(store.Layout, rng), i);
        store.Flush();
        if (withTables) MultiIndexHash.Build(store, path + MultiIndexHash.FileExtension);
        return path;
    }

    private static StoreHeader Newest(string path, out int slot)
    {
        var page = new byte[StoreFileFormat.HeaderPageBytes];
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            file.ReadExactly(page);
        var headers = new StoreHeader[2];
        for (int s = 0; s < 2; s++)
            Assert.Equal(StoreHeader.SlotState.Valid, StoreHeader.Read(page.AsSpan(StoreFileFormat.HeaderSlotOffset(s), StoreFileFormat.HeaderSlotBytes), out headers[s], out _, out _, out _));
        slot = headers[1].Sequence > headers[0].Sequence ? 1 : 0;
        return headers[slot];
    }

    private static void Rewrite(string path, int slot, StoreHeader header)
    {
        var bytes = new byte[StoreFileFormat.HeaderSlotBytes];
        header.Write(bytes);
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = StoreFileFormat.HeaderSlotOffset(slot);
        file.Write(bytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TheHeadersDigestEqualsTheComputedOneAfterEveryCommit(int seed)
    {
        var rng = new Random(seed);
        int bits = new[] { 8, 64, 100, 256 }[rng.Next(4)];
        var layout = new CodeLayout(bits);
        string path = _directory.File($"s{seed}.hstore");
        long next = 0;
        CodeStore store = CodeStore.Create(path, bits, new CodeStoreOptions { BlockCapacity = 64 });
        try
        {
            Assert.Equal(Computed(store), Binding(store)); // empty, as created
            for (int step = 0; step < 12; step++)
            {
                int appends = rng.Next(0, 200);
                for (int i = 0; i < appends; i++) store.Append(StoreModel.RandomCode(layout, rng), next++);
                if (next > 0 && rng.Next(3) == 0) store.TryDelete(rng.NextInt64(next));
                if (rng.Next(6) == 0) store.Compact();
                store.Flush();
                ulong computed = Computed(store);
                Assert.Equal(computed, Binding(store));
                if (rng.Next(2) == 0)
                {
                    store.Dispose(); // the file is locked while open
                    Assert.Equal(computed, Newest(path, out _).Digest);
                    store = CodeStore.Open(path);
                    Assert.Equal(computed, Computed(store));
                    Assert.Equal(computed, Binding(store));
                }
            }
        }
        finally
        {
            store.Dispose();
        }
    }

    [Fact]
    public void ASlotWrittenWithoutADigestIsComputedAndTablesStillBind()
    {
        string path = Committed("old.hstore", 300, seed: 5, withTables: false);
        StoreHeader header = Newest(path, out int slot);
        Rewrite(path, slot, header with { Digest = null }); // as a writer before the digest left it
        Assert.Null(Newest(path, out _).Digest);
        using (CodeStore store = CodeStore.Open(path))
        {
            Assert.Equal(Computed(store), Binding(store));
            MultiIndexHash built = MultiIndexHash.Build(store, path + MultiIndexHash.FileExtension);
            MultiIndexHash opened = MultiIndexHash.Open(store, path + MultiIndexHash.FileExtension);
            Assert.Equal(built.IndexedCount, opened.IndexedCount);
        }
    }

    [Fact]
    public void TablesAreCheckedAgainstTheHeadersDigest()
    {
        // A header whose digest (with a valid slot checksum) disagrees with the tables makes them
        // stale: the open reads the header's value rather than trusting the counts alone.
        string path = Committed("bound.hstore", 500, seed: 9, withTables: true);
        using (CodeStore store = CodeStore.Open(path))
            Assert.Equal(500, MultiIndexHash.Open(store, path + MultiIndexHash.FileExtension).IndexedCount);
        StoreHeader header = Newest(path, out int slot);
        Rewrite(path, slot, header with { Digest = header.Digest!.Value ^ 1 });
        using (CodeStore store = CodeStore.Open(path))
        {
            var error = Assert.Throws<MultiIndexFileException>(() => MultiIndexHash.Open(store, path + MultiIndexHash.FileExtension));
            Assert.Equal(MultiIndexFileError.Stale, error.Error);
        }
    }
}
