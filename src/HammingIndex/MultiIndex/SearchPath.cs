namespace HammingIndex.MultiIndex;

/// <summary>Which algorithm answered a query.</summary>
public enum SearchPath
{
    /// <summary>Multi-index hashing: probed buckets, verified candidates.</summary>
    MultiIndex = 0,

    /// <summary>The exact linear scan over every stored code.</summary>
    Scan = 1,
}
