using HammingIndex.Codes;
using HammingIndex.Indexing;
using HammingIndex.MultiIndex;
using HammingIndex.Orleans.Messages;
using HammingIndex.Orleans.Shards;
using HammingIndex.Storage;

namespace HammingIndex.Orleans.Client;

/// <summary>
/// An exact Hamming index split over the shards of an Orleans cluster, answering as one
/// <see cref="MultiIndexSearcher"/> over all its codes would: the same neighbours, in the same order
/// (distance, then id).
/// </summary>
/// <remarks>
/// <para>Placement: a code goes to shard <see cref="IdPlacement.ShardOf"/>(id, ShardCount), fixed for
/// the index's life; a delete goes only to that shard. Each shard is an <see cref="IShardGrain"/>
/// holding a store file and its multi-index tables on the silo where it is active.</para>
/// <para>Search: one message per shard per query or per batch (<see cref="TopKBatchAsync"/> sends
/// the whole batch to each shard at once); each shard returns its k best (or everything within the
/// radius) and the client merges them by (distance, id). <see cref="SearchResult.Path"/> is
/// <see cref="SearchPath.Scan"/> when any shard scanned, and <see cref="SearchResult.CandidatesVerified"/>
/// is the sum over shards.</para>
/// <para>Failure: every shard must answer within <see cref="ShardedIndexOptions.ShardTimeout"/>;
/// otherwise the call throws <see cref="ShardsUnavailableException"/> naming the shards that did not
/// (never a smaller answer). A cancelled token throws <see cref="OperationCanceledException"/>.</para>
/// <para>Durability: an add is acknowledged when <see cref="AddAsync"/> returns and durable when a
/// later <see cref="FlushAsync"/> returns; a flushed code survives its silo's death.</para>
/// <para>The synchronous methods (<see cref="TopK"/>, <see cref="WithinRadius"/>, <see cref="TopKBatch"/>,
/// <see cref="WithinRadiusBatch"/>) have <see cref="MultiIndexSearcher"/>'s shapes and block on the
/// asynchronous ones; do not call them from inside a grain. It implements the engine's
/// <see cref="IHammingSearcher"/>, so the sharded index stands wherever one node's searcher does. Thread-safe.</para>
/// </remarks>
public sealed class ShardedCodeIndex : IHammingSearcher
{
    private readonly IShardGrain[] _shards;
    private readonly int[] _allShards;
    private readonly ShardedIndexOptions _options;

    private ShardedCodeIndex(IGrainFactory grains, string name, ShardSpec spec, ShardedIndexOptions options)
    {
        Name = name;
        Spec = spec;
        Layout = new CodeLayout(spec.Bits);
        _options = options;
        _shards = Enumerable.Range(0, spec.ShardCount).Select(s => grains.GetGrain<IShardGrain>(ShardKey.Format(name, s))).ToArray();
        _allShards = Enumerable.Range(0, spec.ShardCount).ToArray();
    }

    /// <summary>The index name (a folder under each silo's shard root).</summary>
    public string Name { get; }

    /// <summary>Code length, shard count and substring count.</summary>
    public ShardSpec Spec { get; }

    /// <summary>The code layout.</summary>
    public CodeLayout Layout { get; }

    /// <summary>Code length in bits.</summary>
    public int Bits => Spec.Bits;

    /// <summary>Number of shards.</summary>
    public int ShardCount => Spec.ShardCount;

    /// <summary>
    /// Creates the index <paramref name="name"/> on the cluster (every shard's files), or opens it when it
    /// exists with the same spec.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid folder name, or <paramref name="bits"/> is outside 8..4096.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardCount"/> is less than 1.</exception>
    /// <exception cref="ShardsUnavailableException">A shard did not answer, or exists with another spec.</exception>
    public static async Task<ShardedCodeIndex> CreateAsync(IGrainFactory grains, string name, int bits, int shardCount,
        ShardedIndexOptions? options = null, int substringCount = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ShardFiles.CheckIndexName(name);
        _ = new CodeLayout(bits);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        var spec = new ShardSpec { Bits = bits, ShardCount = shardCount, SubstringCount = substringCount };
        var index = new ShardedCodeIndex(grains, name, spec, (options ?? new ShardedIndexOptions()).Checked());
        await index.FanOut("create", index._allShards, (s, _) => index._shards[s].Open(spec), cancellationToken).ConfigureAwait(false);
        return index;
    }

    /// <summary>Opens the existing index <paramref name="name"/>: reads its spec from shard 0, then checks every shard.</summary>
    /// <exception cref="ShardsUnavailableException">A shard did not answer, does not exist, or disagrees with shard 0.</exception>
    public static async Task<ShardedCodeIndex> OpenAsync(IGrainFactory grains, string name, ShardedIndexOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ShardFiles.CheckIndexName(name);
        options = (options ?? new ShardedIndexOptions()).Checked();
        IShardGrain first = grains.GetGrain<IShardGrain>(ShardKey.Format(name, 0));
        ShardStatus[] status = await ShardFanOut.RunAsync(name, "open", 1, [0], options.ShardTimeout, (_, _) => first.Status(), cancellationToken)
            .ConfigureAwait(false);
        var index = new ShardedCodeIndex(grains, name, status[0].Spec, options);
        await index.FanOut("open", index._allShards, (s, _) => index._shards[s].Open(index.Spec), cancellationToken).ConfigureAwait(false);
        return index;
    }

    /// <summary>
    /// Adds codes (<paramref name="codes"/>: consecutive codes of <see cref="Layout"/>) with one id per
    /// code, each to the shard its id hashes to. Acknowledged when this returns; durable after
    /// <see cref="FlushAsync"/>. When it throws, some shards may hold their part of the codes.
    /// </summary>
    /// <exception cref="ArgumentException">The codes are not whole codes with zero padding, or the id count differs.</exception>
    /// <exception cref="ShardsUnavailableException">A shard did not take its part.</exception>
    public async Task AddAsync(ReadOnlyMemory<ulong> codes, ReadOnlyMemory<long> ids, CancellationToken cancellationToken = default)
    {
        int n = Layout.ValidateCodes(codes.Span);
        if (ids.Length != n)
            throw new ArgumentException($"{ids.Length} ids were given for {n} codes.", nameof(ids));
        int words = Layout.WordsPerCode;
        List<int>[] positions = Route(ids.Span);
        int perMessage = Math.Max(1, _options.MaxAddBytes / (Layout.BytesPerCode + sizeof(long)));
        for (int start = 0; ; start += perMessage)
        {
            int[] shards = _allShards.Where(s => positions[s].Count > start).ToArray();
            if (shards.Length == 0) break;
            var batches = new CodeBatch[ShardCount];
            foreach (int s in shards)
            {
                int count = Math.Min(perMessage, positions[s].Count - start);
                var w = new ulong[count * words];
                var d = new long[count];
                for (int i = 0; i < count; i++)
                {
                    int p = positions[s][start + i];
                    codes.Span.Slice(p * words, words).CopyTo(w.AsSpan(i * words));
                    d[i] = ids.Span[p];
                }
                batches[s] = new CodeBatch(w, d);
            }
            await FanOut("add", shards, (s, _) => _shards[s].Add(batches[s]), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Adds every live code of <paramref name="store"/> (with its id), <paramref name="chunkCodes"/> codes
    /// per <see cref="AddAsync"/>; returns how many. Not flushed: call <see cref="FlushAsync"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The store's code length is not the index's.</exception>
    /// <exception cref="ShardsUnavailableException">A shard did not take its part.</exception>
    public async Task<long> AddStoreAsync(CodeStore store, int chunkCodes = 1 << 18, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.Bits != Bits) throw new ArgumentException($"The store holds {store.Bits}-bit codes; index '{Name}' holds {Bits}-bit codes.", nameof(store));
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkCodes, 1);
        int words = Layout.WordsPerCode;
        var codes = new ulong[chunkCodes * words];
        var ids = new long[chunkCodes];
        long added = 0;
        int n = 0;
        using CodeStoreSnapshot snapshot = store.AcquireSnapshot();
        for (long p = 0; p <= snapshot.Count; p++)
        {
            if (n == chunkCodes || (p == snapshot.Count && n > 0))
            {
                await AddAsync(codes.AsMemory(0, n * words), ids.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                added += n;
                n = 0;
            }
            if (p == snapshot.Count || snapshot.IsDeleted(p)) continue;
            snapshot.GetCode(p).CopyTo(codes.AsSpan(n * words));
            ids[n++] = snapshot.GetId(p);
        }
        return added;
    }

    /// <summary>Deletes every live code carrying each id (sent to the owning shards); returns how many codes were deleted.</summary>
    /// <exception cref="ShardsUnavailableException">An owning shard did not answer.</exception>
    public async Task<int> DeleteAsync(ReadOnlyMemory<long> ids, CancellationToken cancellationToken = default)
    {
        List<int>[] positions = Route(ids.Span);
        long[][] perShard = positions.Select(p => p.Select(i => ids.Span[i]).ToArray()).ToArray();
        int[] shards = _allShards.Where(s => perShard[s].Length > 0).ToArray();
        int[] deleted = await FanOut("delete", shards, (s, _) => _shards[s].Delete(perShard[s]), cancellationToken).ConfigureAwait(false);
        return deleted.Sum();
    }

    /// <summary>Makes every add and delete acknowledged so far durable on every shard.</summary>
    /// <exception cref="ShardsUnavailableException">A shard did not flush.</exception>
    public Task<ShardStatus[]> FlushAsync(CancellationToken cancellationToken = default) =>
        FanOut("flush", _allShards, (s, _) => _shards[s].Flush(), cancellationToken);

    /// <summary>What every shard holds and where it runs.</summary>
    /// <exception cref="ShardsUnavailableException">A shard did not answer.</exception>
    public Task<ShardStatus[]> StatusAsync(CancellationToken cancellationToken = default) =>
        FanOut("status", _allShards, (s, _) => _shards[s].Status(), cancellationToken);

    /// <summary>The <paramref name="k"/> nearest live codes (all of them if fewer), sorted by distance, then id.</summary>
    /// <exception cref="ArgumentException">The query has the wrong length or non-zero padding.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ShardsUnavailableException">A shard did not answer.</exception>
    public async Task<SearchResult> TopKAsync(ReadOnlyMemory<ulong> query, int k, CancellationToken cancellationToken = default)
    {
        Layout.ValidateCode(query.Span);
        return (await TopKBatchAsync(query, k, cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>All live codes within <paramref name="radius"/> of <paramref name="query"/>, sorted by distance, then id.</summary>
    /// <exception cref="ArgumentException">The query has the wrong length or non-zero padding.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..bits.</exception>
    /// <exception cref="ShardsUnavailableException">A shard did not answer.</exception>
    public async Task<SearchResult> WithinRadiusAsync(ReadOnlyMemory<ulong> query, int radius, CancellationToken cancellationToken = default)
    {
        Layout.ValidateCode(query.Span);
        return (await WithinRadiusBatchAsync(query, radius, cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>
    /// The <paramref name="k"/> nearest live codes for every query of <paramref name="queries"/>: entry q
    /// answers query q, as <see cref="TopKAsync"/> would. One message per shard for the whole batch.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="queries"/> is not whole codes with zero padding.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ShardsUnavailableException">A shard did not answer.</exception>
    public ValueTask<SearchResult[]> TopKBatchAsync(ReadOnlyMemory<ulong> queries, int k, CancellationToken cancellationToken = default)
    {
        int n = Layout.ValidateCodes(queries.Span);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var batch = new QueryBatch(queries.ToArray());
        return SearchAsync("top-k search", n, k, (s, token) => _shards[s].TopK(batch, k, token), cancellationToken);
    }

    /// <summary>
    /// Every live code within <paramref name="radius"/> of each query: entry q answers query q, as
    /// <see cref="WithinRadiusAsync"/> would. One message per shard for the whole batch.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="queries"/> is not whole codes with zero padding.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..bits.</exception>
    /// <exception cref="ShardsUnavailableException">A shard did not answer.</exception>
    public ValueTask<SearchResult[]> WithinRadiusBatchAsync(ReadOnlyMemory<ulong> queries, int radius, CancellationToken cancellationToken = default)
    {
        int n = Layout.ValidateCodes(queries.Span);
        if (radius < 0 || radius > Bits)
            throw new ArgumentOutOfRangeException(nameof(radius), radius, $"The radius must be between 0 and the code length {Bits}.");
        var batch = new QueryBatch(queries.ToArray());
        return SearchAsync("radius search", n, int.MaxValue, (s, token) => _shards[s].WithinRadius(batch, radius, token), cancellationToken);
    }

    /// <summary>Live codes on all shards now (asks every shard).</summary>
    /// <exception cref="ShardsUnavailableException">A shard did not answer.</exception>
    public async Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        (await StatusAsync(cancellationToken).ConfigureAwait(false)).Sum(s => s.LiveCount);

    /// <summary>Blocking <see cref="CountAsync"/>.</summary>
    public long Count => CountAsync().GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="TopKAsync"/>, with <see cref="MultiIndexSearcher.TopK(ReadOnlySpan{ulong}, int)"/>'s shape.</summary>
    public SearchResult TopK(ReadOnlySpan<ulong> query, int k) => TopKAsync(query.ToArray(), k).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="WithinRadiusAsync"/>, with <see cref="MultiIndexSearcher.WithinRadius(ReadOnlySpan{ulong}, int)"/>'s shape.</summary>
    public SearchResult WithinRadius(ReadOnlySpan<ulong> query, int radius) => WithinRadiusAsync(query.ToArray(), radius).GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="TopKBatchAsync"/>, with <see cref="MultiIndexSearcher.TopKBatch(ReadOnlySpan{ulong}, int)"/>'s shape.</summary>
    public SearchResult[] TopKBatch(ReadOnlySpan<ulong> queries, int k, CancellationToken cancellationToken = default) =>
        TopKBatchAsync(queries.ToArray(), k, cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <summary>Blocking <see cref="WithinRadiusBatchAsync"/>, with <see cref="MultiIndexSearcher.WithinRadiusBatch(ReadOnlySpan{ulong}, int)"/>'s shape.</summary>
    public SearchResult[] WithinRadiusBatch(ReadOnlySpan<ulong> queries, int radius, CancellationToken cancellationToken = default) =>
        WithinRadiusBatchAsync(queries.ToArray(), radius, cancellationToken).AsTask().GetAwaiter().GetResult();

    private async ValueTask<SearchResult[]> SearchAsync(string operation, int queryCount, int limit,
        Func<int, CancellationToken, Task<PackedAnswers>> call, CancellationToken cancellationToken)
    {
        if (queryCount == 0) return [];
        PackedAnswers[] answers = await FanOut(operation, _allShards, call, cancellationToken).ConfigureAwait(false);
        for (int s = 0; s < answers.Length; s++) answers[s].CheckShape(queryCount, s);
        return AnswerMerge.Merge(answers, queryCount, limit);
    }

    private Task<T[]> FanOut<T>(string operation, IReadOnlyList<int> shards, Func<int, CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        ShardFanOut.RunAsync(Name, operation, ShardCount, shards, _options.ShardTimeout, call, cancellationToken);

    /// <summary>The positions of <paramref name="ids"/> owned by each shard, in order.</summary>
    private List<int>[] Route(ReadOnlySpan<long> ids)
    {
        var positions = new List<int>[ShardCount];
        for (int s = 0; s < positions.Length; s++) positions[s] = [];
        for (int i = 0; i < ids.Length; i++) positions[IdPlacement.ShardOf(ids[i], ShardCount)].Add(i);
        return positions;
    }
}
