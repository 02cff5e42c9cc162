using HammingIndex.Indexing;
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

/// <summary>The searcher of each <see cref="QueryPath"/> over a store, and how the CLI names a path.</summary>
internal static class QueryPaths
{
    /// <summary>
    /// The searcher for <paramref name="path"/>; multi-index paths use the tables saved beside a file-backed
    /// store (built and saved there when missing or stale), else a build in memory.
    /// </summary>
    public static IHammingSearcher Searcher(CodeStore store, QueryPath path) => path switch
    {
        QueryPath.Scan => new ScanSearcher(store),
        QueryPath.Mih => OpenTables(store),
        _ => new MultiIndexSearcher(OpenTables(store)),
    };

    /// <summary>The CLI's name of a path: "mih" or "scan".</summary>
    public static string Name(SearchPath path) => path == SearchPath.MultiIndex ? "mih" : "scan";

    private static MultiIndexHash OpenTables(CodeStore store) =>
        store.Path is null ? new MultiIndexHash(store) : MultiIndexHash.OpenOrBuild(store);
}
