namespace HammingIndex.Storage;

/// <summary>
/// One block of a <see cref="CodeStoreSnapshot"/>: a contiguous, 64-byte-aligned run of packed codes
/// with their ids and tombstones. Valid only while its snapshot is undisposed.
/// </summary>
public readonly ref struct CodeBlock
{
    internal CodeBlock(long firstPosition, int count, ReadOnlySpan<ulong> codes, ReadOnlySpan<long> ids, ReadOnlySpan<ulong> tombstones)
    {
        FirstPosition = firstPosition;
        Count = count;
        Codes = codes;
        Ids = ids;
        Tombstones = tombstones;
    }

    /// <summary>Store position of the block's first code.</summary>
    public long FirstPosition { get; }

    /// <summary>Number of codes in the block (deleted ones included).</summary>
    public int Count { get; }

    /// <summary>The packed codes: <see cref="Count"/> codes of the store's words per code.</summary>
    public ReadOnlySpan<ulong> Codes { get; }

    /// <summary>The ids, one per code.</summary>
    public ReadOnlySpan<long> Ids { get; }

    /// <summary>Tombstone bits (bit i of word i/64 set = code i deleted); empty when none in the block is deleted.</summary>
    public ReadOnlySpan<ulong> Tombstones { get; }

    /// <summary>Whether code <paramref name="index"/> of this block is deleted.</summary>
    public bool IsDeleted(int index) => !Tombstones.IsEmpty && (Tombstones[index >> 6] & (1UL << index)) != 0;
}
