using HammingIndex.MultiIndex;
using HammingIndex.Orleans.Messages;
using HammingIndex.Storage;

namespace HammingIndex.Orleans.Shards;

/// <summary>
/// One shard's on-disk index on the silo that holds it: a <see cref="CodeStore"/> file and its
/// multi-index tables beside it (<c>codes.hstore</c>, <c>codes.hstore.mih</c>), searched through the
/// engine's front door (<see cref="MultiIndexSearcher"/>), so a shard answers exactly as one node would
/// over the same codes.
/// </summary>
/// <remarks>
/// Thread-safe as the engine is: searches run concurrently with one writer (adds, deletes, flush).
/// Durability is the store's: an add is on disk when <see cref="Flush"/> returns. The tables are
/// derived data; they are rebuilt and saved at a flush once the unindexed delta has outgrown the
/// engine's automatic limit, and rebuilt on open when the file is missing or stale.
/// </remarks>
internal sealed class ShardIndex : IDisposable
{
    public const string StoreFileName = "codes.hstore";

    private readonly object _flushLock = new();
    private long _savedIndexed;
    private long _flushedCount;

    private ShardIndex(string directory, int shard, ShardSpec spec, CodeStore store, bool reopened)
    {
        Directory = directory;
        Shard = shard;
        Spec = spec;
        Store = store;
        Reopened = reopened;
        var options = new MultiIndexOptions { SubstringCount = spec.SubstringCount };
        Searcher = new MultiIndexSearcher(MultiIndexHash.OpenOrBuild(store, options));
        _savedIndexed = Searcher.Index.IndexedCount;
        _flushedCount = store.Count;
    }

    public string Directory { get; }
    public int Shard { get; }
    public ShardSpec Spec { get; }
    public CodeStore Store { get; }
    public MultiIndexSearcher Searcher { get; }

    /// <summary>True when the files existed before this open.</summary>
    public bool Reopened { get; }

    public long FlushedCount => Volatile.Read(ref _flushedCount);

    /// <summary>Opens the shard in <paramref name="directory"/>; null when it was never created there.</summary>
    public static ShardIndex? TryOpen(string directory, string index, int shard)
    {
        ShardSpec? spec = ShardManifest.TryRead(directory, index, shard);
        return spec is null ? null : Open(directory, shard, spec);
    }

    /// <summary>Opens the shard, or creates it with <paramref name="spec"/> when the folder has none.</summary>
    /// <exception cref="InvalidOperationException">The shard exists with another spec.</exception>
    public static ShardIndex OpenOrCreate(string directory, string index, int shard, ShardSpec spec)
    {
        ShardSpec? existing = ShardManifest.TryRead(directory, index, shard);
        if (existing is null)
        {
            _ = new Codes.CodeLayout(spec.Bits); // checks the range before anything is written
            System.IO.Directory.CreateDirectory(directory);
            ShardManifest.Write(directory, index, shard, spec);
            existing = spec;
        }
        else if (existing != spec)
        {
            throw new InvalidOperationException(
                $"Shard {shard} of index '{index}' exists with {ShardManifest.Describe(existing)}, not {ShardManifest.Describe(spec)}.");
        }
        return Open(directory, shard, existing);
    }

    private static ShardIndex Open(string directory, int shard, ShardSpec spec)
    {
        string path = Path.Combine(directory, StoreFileName);
        bool reopened = File.Exists(path);
        // A manifest without a store: creation stopped before it returned, so nothing was acknowledged.
        CodeStore store = reopened ? CodeStore.Open(path) : CodeStore.Create(path, spec.Bits);
        try
        {
            if (store.Bits != spec.Bits)
                throw new InvalidFileException(path, $"{path}: the store holds {store.Bits}-bit codes, the shard manifest says {spec.Bits}.", 0, spec.Bits.ToString(), store.Bits.ToString());
            return new ShardIndex(directory, shard, spec, store, reopened);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Appends the batch (durable at the next <see cref="Flush"/>); returns the new count.</summary>
    /// <exception cref="ArgumentException">The codes are not whole codes of the shard's layout, or the id count differs.</exception>
    public long Add(CodeBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Store.AppendRange(batch.Words, batch.Ids);
        return Store.Count;
    }

    /// <summary>Deletes every live code with each id; returns how many codes were deleted.</summary>
    public int Delete(long[] ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        int deleted = 0;
        foreach (long id in ids) deleted += Store.TryDelete(id);
        return deleted;
    }

    /// <summary>
    /// Makes every add and delete so far durable; then, when the unindexed delta has outgrown the
    /// engine's automatic limit, rebuilds the tables and saves them beside the store.
    /// </summary>
    public void Flush()
    {
        lock (_flushLock)
        {
            long count = Store.Count;
            Store.Flush();
            Volatile.Write(ref _flushedCount, count);
            MultiIndexHash index = Searcher.Index;
            if (index.DeltaCount > Math.Max(4096, index.IndexedCount / 64)) index.Rebuild();
            if (index.IndexedCount != _savedIndexed)
            {
                index.Save(Store.Path + MultiIndexHash.FileExtension);
                _savedIndexed = index.IndexedCount;
            }
        }
    }

    public ShardStatus Status(string silo) => new()
    {
        Shard = Shard,
        Spec = Spec,
        Count = Store.Count,
        LiveCount = Store.LiveCount,
        IndexedCount = Searcher.Index.IndexedCount,
        FlushedCount = FlushedCount,
        ReopenedFromDisk = Reopened,
        Silo = silo,
    };

    /// <summary>The k nearest codes of each query (a lone query goes through the lone-query path).</summary>
    public PackedAnswers TopK(ulong[] queries, int k)
    {
        if (queries.Length == Store.Layout.WordsPerCode) return PackedAnswers.Pack([Searcher.TopK(queries, k)]);
        return PackedAnswers.Pack(Searcher.TopKBatch(queries, k));
    }

    /// <summary>Every code within <paramref name="radius"/> of each query.</summary>
    public PackedAnswers WithinRadius(ulong[] queries, int radius)
    {
        if (queries.Length == Store.Layout.WordsPerCode) return PackedAnswers.Pack([Searcher.WithinRadius(queries, radius)]);
        return PackedAnswers.Pack(Searcher.WithinRadiusBatch(queries, radius));
    }

    /// <summary>Closes the store (which commits what is not flushed yet) and lets go of the file lock.</summary>
    public void Dispose() => Store.Dispose();
}
