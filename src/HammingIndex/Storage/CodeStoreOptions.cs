namespace HammingIndex.Storage;

/// <summary>Options for creating or opening a <see cref="CodeStore"/>.</summary>
public sealed class CodeStoreOptions
{
    /// <summary>
    /// Codes per block: a power of two from 64 to 2^24. Null picks about 1 MiB of codes per block.
    /// Used when a store is created; an opened store keeps the capacity it was created with.
    /// </summary>
    public int? BlockCapacity { get; init; }

    /// <summary>
    /// Verify every data block against its checksum while opening (cost grows with the store). When
    /// false (the default), opening checks only the header, the tombstone log and the last partly
    /// filled block; every other block is checked on its first read.
    /// </summary>
    public bool VerifyOnOpen { get; init; }

    /// <summary>
    /// Roll back to the older header slot when the newer one is damaged although the file holds its
    /// newer commit (without this, <see cref="CodeStore.Open"/> refuses such a file with
    /// <see cref="StoreHeaderDamagedException"/> and changes nothing). The data of the newer commit is
    /// dropped as an uncommitted tail, the rollback is committed (the damaged slot is rewritten), and
    /// <see cref="StoreRecoveryInfo.UsedPreviousHeader"/> says so. Has no effect on an intact file.
    /// </summary>
    public bool RecoverToPreviousCommit { get; init; }

    /// <summary>
    /// Whether the committed blocks' map is advised for random access (a page fault reads its page, not
    /// the disk's read-ahead window around it; sequential passes then ask for the blocks ahead of them).
    /// Null decides at open: advised when the committed blocks exceed half the physical memory, where
    /// read-around on every random read would evict the pages searches need. Tests force either way.
    /// </summary>
    internal bool? AdviseRandomAccess { get; init; }

    /// <summary>The file layer (tests substitute a fault-injecting one); the operating system's by default.</summary>
    internal StoreFileSystem FileSystem { get; init; } = StoreFileSystem.Default;

    internal int CapacityLog2For(Codes.CodeLayout layout)
    {
        if (BlockCapacity is not { } capacity) return StoreMemory.DefaultBlockCapacityLog2(layout);
        if (capacity < 1 << StoreFileFormat.MinCapacityLog2 || capacity > 1 << StoreFileFormat.MaxCapacityLog2 || (capacity & (capacity - 1)) != 0)
            ThrowHelper.ArgumentOutOfRange(nameof(BlockCapacity), capacity,
                $"Block capacity must be a power of two from {1 << StoreFileFormat.MinCapacityLog2} to {1 << StoreFileFormat.MaxCapacityLog2}.");
        int log2 = System.Numerics.BitOperations.Log2((uint)capacity);
        if (StoreFileFormat.CheckCapacity(layout, log2) is { } problem)
            ThrowHelper.ArgumentOutOfRange(nameof(BlockCapacity), capacity, $"Block capacity too large: {problem}.");
        return log2;
    }
}
