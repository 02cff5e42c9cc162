using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Which search path a query takes (the <c>--path</c> option).</summary>
internal enum QueryPath
{
    /// <summary>The multi-index front door decides per query between probing and the scan.</summary>
    Auto,

    /// <summary>The exhaustive SIMD scan.</summary>
    Scan,

    /// <summary>Multi-index probing, always.</summary>
    Mih,
}

/// <summary>One query's answer: the neighbours, the path that ran, and how many codes it verified (null when the path does not say).</summary>
internal readonly record struct QueryAnswer(Neighbor[] Neighbors, string Path, long? Candidates);

/// <summary>Runs queries over a store by the chosen path, one at a time or as one batch.</summary>
internal abstract class QueryEngine
{
    public abstract QueryAnswer TopK(ReadOnlySpan<ulong> query, int k);

    public abstract QueryAnswer WithinRadius(ReadOnlySpan<ulong> query, int radius);

    /// <summary>Every query of <paramref name="queries"/> (codes back to back) as one batch; entry q answers query q.</summary>
    public abstract QueryAnswer[] TopKBatch(ulong[] queries, int k);

    /// <summary>Every query of <paramref name="queries"/> as one batch; entry q answers query q.</summary>
    public abstract QueryAnswer[] WithinRadiusBatch(ulong[] queries, int radius);

    /// <summary>
    /// The engine for <paramref name="path"/>; multi-index paths use <paramref name="index"/>, else the
    /// tables saved beside a file-backed store (built and saved there when missing or stale), else a build in memory.
    /// </summary>
    public static QueryEngine Create(CodeStore store, QueryPath path, MultiIndexHash? index = null) => path switch
    {
        QueryPath.Scan => new ScanEngine(store),
        QueryPath.Mih => new MihEngine(index ?? OpenIndex(store)),
        _ => new FrontDoorEngine(new MultiIndexSearcher(index ?? OpenIndex(store))),
    };

    private static MultiIndexHash OpenIndex(CodeStore store) =>
        store.Path is null ? new MultiIndexHash(store) : MultiIndexHash.OpenOrBuild(store);

    public static string Name(SearchPath path) => path == SearchPath.MultiIndex ? "mih" : "scan";

    /// <summary>Single queries on one core (the scan the multi-index is compared with); batches on all cores.</summary>
    private sealed class ScanEngine(CodeStore store) : QueryEngine
    {
        private readonly ScanSearcher _searcher = new(store, new ScanOptions { MaxDegreeOfParallelism = 1 });
        private readonly ScanSearcher _batchSearcher = new(store);

        public override QueryAnswer TopK(ReadOnlySpan<ulong> query, int k) => new(_searcher.TopK(query, k), "scan", store.Count);

        public override QueryAnswer WithinRadius(ReadOnlySpan<ulong> query, int radius) => new(_searcher.WithinRadius(query, radius), "scan", store.Count);

        public override QueryAnswer[] TopKBatch(ulong[] queries, int k) => From(_batchSearcher.TopKBatch(queries, k));

        public override QueryAnswer[] WithinRadiusBatch(ulong[] queries, int radius) => From(_batchSearcher.WithinRadiusBatch(queries, radius));

        private QueryAnswer[] From(Neighbor[][] results) => results.Select(r => new QueryAnswer(r, "scan", store.Count)).ToArray();
    }

    /// <summary>Multi-index probing; a batch is its queries one after another.</summary>
    private sealed class MihEngine(MultiIndexHash index) : QueryEngine
    {
        public override QueryAnswer TopK(ReadOnlySpan<ulong> query, int k) => new(index.TopK(query, k), "mih", null);

        public override QueryAnswer WithinRadius(ReadOnlySpan<ulong> query, int radius) => new(index.WithinRadius(query, radius), "mih", null);

        public override QueryAnswer[] TopKBatch(ulong[] queries, int k) => Each(queries, q => TopK(q, k));

        public override QueryAnswer[] WithinRadiusBatch(ulong[] queries, int radius) => Each(queries, q => WithinRadius(q, radius));

        private QueryAnswer[] Each(ulong[] queries, Func<ulong[], QueryAnswer> search)
        {
            int words = index.Store.Layout.WordsPerCode;
            return Enumerable.Range(0, queries.Length / words).Select(q => search(queries.AsSpan(q * words, words).ToArray())).ToArray();
        }
    }

    private sealed class FrontDoorEngine(MultiIndexSearcher searcher) : QueryEngine
    {
        public override QueryAnswer TopK(ReadOnlySpan<ulong> query, int k) => From(searcher.TopK(query, k));

        public override QueryAnswer WithinRadius(ReadOnlySpan<ulong> query, int radius) => From(searcher.WithinRadius(query, radius));

        public override QueryAnswer[] TopKBatch(ulong[] queries, int k) => Array.ConvertAll(searcher.TopKBatch(queries, k), From);

        public override QueryAnswer[] WithinRadiusBatch(ulong[] queries, int radius) => Array.ConvertAll(searcher.WithinRadiusBatch(queries, radius), From);

        private static QueryAnswer From(SearchResult r) => new(r.Neighbors, Name(r.Path), r.CandidatesVerified);
    }
}
