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

    /// <summary>
    /// Whether each table keeps a copy of every code beside its position (the default). A probed
    /// bucket's candidates are then verified by reading the bucket sequentially rather than the store
    /// at random, one cache miss per candidate, which makes k-NN and wide-radius searches several
    /// times faster, for m * b / 8 more bytes per code (24 B for 64-bit codes at m = 3). Set false to
    /// keep positions only (about 4 * m bytes per code plus the offsets).
    /// </summary>
    public bool CodesInTables { get; init; } = true;
}
