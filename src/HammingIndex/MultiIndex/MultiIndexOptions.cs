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
    /// Whether each table keeps a copy of every code beside its position. A probed bucket's
    /// candidates are then verified by reading the bucket in order rather than the store at random
    /// (one cache miss per candidate), which makes k-NN and wide-radius searches several times faster,
    /// for m * b / 8 more bytes per code (24 B for 64-bit codes at m = 3, 96 B for 128-bit codes at
    /// m = 6). Null (the default) chooses: copies for codes of up to <see cref="MaxAutomaticCodeBits"/>
    /// bits in stores of up to <see cref="MaxAutomaticCodeCount"/> codes, positions only otherwise
    /// (copies of long codes cost m times a long code; past 2^27 codes the copies, m * 8 GB per
    /// billion 64-bit codes, would outgrow the memory of the machines such stores are meant for). The
    /// choice is made on the store's count when the tables are built or opened, so a store that grew
    /// past the limit since its tables were saved has them rebuilt once by
    /// <see cref="MultiIndexHash.OpenOrBuild(HammingIndex.Storage.CodeStore, string, MultiIndexOptions?)"/>. True or false forces either layout.
    /// </summary>
    public bool? CodesInTables { get; init; }

    /// <summary>
    /// The memory a table build may use to stage entries in one scatter pass over the store (8 bytes per
    /// entry, 16 for substrings of more than 32 + 26 bits, plus 4 per directory bucket); a table whose
    /// entries need more is built in several passes, one range of directory buckets each. The tables
    /// themselves are written into their output (a mapped file, or native memory for an index in memory)
    /// and are not counted. 0 (the default) allows 2 GiB. Any budget gives the same tables, byte for byte.
    /// </summary>
    public long BuildMemoryBudgetBytes { get; init; }

    /// <summary>
    /// The longest substring given a direct-addressed table (at most 26); longer ones get the two-level
    /// layout. Tests lower it to exercise the two-level layout on small stores.
    /// </summary>
    internal int DirectTableMaxBits { get; init; } = TableShape.MaxDirectoryBits;

    /// <summary>Tables files up to this size are verified in full when opened (tests set 0 to reach the checks searches make).</summary>
    internal long VerifyOnOpenMaxBytes { get; init; } = MultiIndexFile.DefaultVerifyOnOpenMaxBytes;

    /// <summary>The longest codes whose tables keep copies of them when <see cref="CodesInTables"/> is null.</summary>
    public const int MaxAutomaticCodeBits = 128;

    /// <summary>The most codes a store may hold for its tables to keep copies of them when <see cref="CodesInTables"/> is null: 2^27.</summary>
    public const long MaxAutomaticCodeCount = 1L << 27;

    /// <summary>Whether tables over a store of <paramref name="codeCount"/> <paramref name="bits"/>-bit codes keep copies of them under these settings.</summary>
    public bool KeepsCodesInTables(int bits, long codeCount) => CodesInTables ?? (bits <= MaxAutomaticCodeBits && codeCount <= MaxAutomaticCodeCount);
}
