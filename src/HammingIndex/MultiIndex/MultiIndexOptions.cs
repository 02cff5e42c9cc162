namespace HammingIndex.MultiIndex;

/// <summary>Settings of a <see cref="MultiIndexHash"/>.</summary>
public sealed class MultiIndexOptions
{
    /// <summary>
    /// m, the number of substrings (and tables). 0 (the default) chooses m = ceil(b / log2 n) at
    /// each build, so each substring has about log2(n) bits and each bucket about one code.
    /// Otherwise between ceil(b / 64) and b.
    /// </summary>
    public int SubstringCount { get; init; }

    /// <summary>
    /// Codes appended after a build that are searched by a linear scan (the delta) before the next
    /// search rebuilds the tables. 0 (the default) allows max(4096, n / 64).
    /// </summary>
    public long MaxDeltaCount { get; init; }
}
