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

/// <summary>Runs single queries over a store by the chosen path.</summary>
internal abstract class QueryEngine
{
    public abstract QueryAnswer TopK(ReadOnlySpan<ulong> query, int k);

    public abstract QueryAnswer WithinRadius(ReadOnlySpan<ulong> query, int radius);

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

    private sealed class ScanEngine(CodeStore store) : QueryEngine
    {
        private readonly ScanSearcher _searcher = new(store, new ScanOptions { MaxDegreeOfParallelism = 1 });

        public override QueryAnswer TopK(ReadOnlySpan<ulong> query, int k) => new(_searcher.TopK(query, k), "scan", store.Count);

        public override QueryAnswer WithinRadius(ReadOnlySpan<ulong> query, int radius) => new(_searcher.WithinRadius(query, radius), "scan", store.Count);
    }

    private sealed class MihEngine(MultiIndexHash index) : QueryEngine
    {
        public override QueryAnswer TopK(ReadOnlySpan<ulong> query, int k) => new(index.TopK(query, k), "mih", null);

        public override QueryAnswer WithinRadius(ReadOnlySpan<ulong> query, int radius) => new(index.WithinRadius(query, radius), "mih", null);
    }

    private sealed class FrontDoorEngine(MultiIndexSearcher searcher) : QueryEngine
    {
        public override QueryAnswer TopK(ReadOnlySpan<ulong> query, int k) => From(searcher.TopK(query, k));

        public override QueryAnswer WithinRadius(ReadOnlySpan<ulong> query, int radius) => From(searcher.WithinRadius(query, radius));

        private static QueryAnswer From(SearchResult r) => new(r.Neighbors, Name(r.Path), r.CandidatesVerified);
    }
}
