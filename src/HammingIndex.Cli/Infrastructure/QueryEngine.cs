using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Which search path a query takes.</summary>
internal enum SearchPath
{
    /// <summary>Let the multi-index front door decide per query (falls back to the scan when no tables are built).</summary>
    Auto,

    /// <summary>The exhaustive SIMD scan.</summary>
    Scan,

    /// <summary>Multi-index hashing probes.</summary>
    Mih,
}

/// <summary>One query's answer: the neighbours, the path that ran, and how many codes it verified.</summary>
internal readonly record struct QueryAnswer(Neighbor[] Neighbors, string Path, long Candidates);

/// <summary>Runs single queries over a store by the chosen path.</summary>
internal abstract class QueryEngine
{
    public abstract QueryAnswer TopK(ReadOnlySpan<ulong> query, int k);

    public abstract QueryAnswer WithinRadius(ReadOnlySpan<ulong> query, int radius);

    public static QueryEngine Create(CodeStore store, SearchPath path) => path switch
    {
        SearchPath.Scan => new ScanEngine(store),
        // TODO(mih): wire the multi-index front door here once branch `mih` lands.
        _ => throw new CliException($"--path {path.ToString().ToLowerInvariant()} needs the multi-index tables, which this build cannot use yet; use --path scan."),
    };

    private sealed class ScanEngine(CodeStore store) : QueryEngine
    {
        private readonly ScanSearcher _searcher = new(store, new ScanOptions { MaxDegreeOfParallelism = 1 });

        public override QueryAnswer TopK(ReadOnlySpan<ulong> query, int k) => new(_searcher.TopK(query, k), "scan", store.LiveCount);

        public override QueryAnswer WithinRadius(ReadOnlySpan<ulong> query, int radius) => new(_searcher.WithinRadius(query, radius), "scan", store.LiveCount);
    }
}
