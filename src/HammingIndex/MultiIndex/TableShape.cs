namespace HammingIndex.MultiIndex;

/// <summary>
/// The shape of one table in a tables image: the substring's bits s, the directory's bits h (the
/// directory holds 2^h + 1 offsets, one bucket per value of the substring's high h bits), the bytes
/// of each entry's low s - h bits (0, 1, 2, 4 or 8), the entries, and the ulongs of each entry's copy
/// of its code (0 when positions only). h = s is the direct layout (bucket = key, no low bits);
/// h &lt; s the two-level layout (a bucket's entries sorted by low bits, then position).
/// </summary>
internal readonly record struct TableShape(int SubstringBits, int DirectoryBits, int LowBytes, long Entries, int CodeWords)
{
    /// <summary>The longest direct table and the largest directory: 2^26 + 1 offsets = 256 MiB.</summary>
    public const int MaxDirectoryBits = 26;

    /// <summary>The most entries a table may hold (Lookup and Bucket return int indices).</summary>
    public const long MaxEntries = int.MaxValue;

    public int LowBits => SubstringBits - DirectoryBits;

    public bool IsDirect => DirectoryBits == SubstringBits;

    public long OffsetsBytes => ((1L << DirectoryBits) + 1) * sizeof(uint);

    public long LowsBytes => Entries * LowBytes;

    public long PositionsBytes => Entries * sizeof(uint);

    public long CodesBytes => Entries * CodeWords * sizeof(ulong);

    /// <summary>The bytes that hold low bits of <paramref name="lowBits"/> bits.</summary>
    public static int LowBytesFor(int lowBits) => lowBits switch { 0 => 0, <= 8 => 1, <= 16 => 2, <= 32 => 4, _ => 8 };

    /// <summary>
    /// The shape a build chooses for an s-bit substring over <paramref name="entries"/> entries: direct when
    /// s &lt;= <paramref name="directMaxBits"/> and 2^s &lt;= 4n + 4096 (about one entry per slot or more);
    /// otherwise two-level with h = s - 8 (one byte of low bits), capped at <see cref="MaxDirectoryBits"/>
    /// and at about 2n buckets so a small table does not carry a huge directory.
    /// </summary>
    public static TableShape Choose(int s, long entries, int codeWords, int directMaxBits)
    {
        if (s <= Math.Min(directMaxBits, MaxDirectoryBits) && (1L << s) <= 4 * entries + 4096)
            return new TableShape(s, s, 0, entries, codeWords);
        int log2 = entries <= 1 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(entries - 1));
        int h = Math.Max(0, Math.Min(Math.Min(s - 8, MaxDirectoryBits), Math.Max(4, log2 + 1)));
        return new TableShape(s, h, LowBytesFor(s - h), entries, codeWords);
    }
}
