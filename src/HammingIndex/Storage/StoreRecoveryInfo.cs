namespace HammingIndex.Storage;

/// <summary>
/// What opening a store file found and repaired: the committed state it opened and anything past the
/// last completed <see cref="CodeStore.Flush"/> that it dropped (an uncommitted tail is never read).
/// </summary>
public sealed class StoreRecoveryInfo
{
    internal StoreRecoveryInfo(long committedCount, long committedDeletes, ulong sequence)
    {
        CommittedCount = committedCount;
        CommittedDeletes = committedDeletes;
        Sequence = sequence;
    }

    /// <summary>Codes (positions) committed by the header the store was opened at.</summary>
    public long CommittedCount { get; }

    /// <summary>Deletes committed by that header.</summary>
    public long CommittedDeletes { get; }

    /// <summary>The commit number of that header (one per completed flush).</summary>
    public ulong Sequence { get; }

    /// <summary>
    /// Slots past the committed count that held written data (a non-zero code or id) and were dropped:
    /// appends after the last completed flush. A dropped all-zero code with id 0 is not counted.
    /// </summary>
    public long DroppedCodes { get; internal set; }

    /// <summary>Tombstone-log entries past the committed delete count that were dropped.</summary>
    public long DroppedDeletes { get; internal set; }

    /// <summary>Bytes of uncommitted tail cut off the end of the file (whole blocks and torn growth).</summary>
    public long DroppedBytes { get; internal set; }

    /// <summary>
    /// The newer header slot was damaged and the store was rolled back to the previous commit, as asked
    /// by <see cref="CodeStoreOptions.RecoverToPreviousCommit"/> (never without it).
    /// </summary>
    public bool UsedPreviousHeader { get; internal set; }

    /// <summary>
    /// A header slot that fails its checks (checksum, magic or version), or -1. With
    /// <see cref="UsedPreviousHeader"/> false it was the older slot: the newest commit is intact and was
    /// opened, and the next flush rewrites the damaged slot.
    /// </summary>
    public int DamagedHeaderSlot { get; internal set; } = -1;

    /// <summary>A leftover temporary file of an interrupted compaction was removed.</summary>
    public bool RemovedCompactionFile { get; internal set; }

    /// <summary>True when nothing was dropped or repaired.</summary>
    public bool IsClean => DroppedCodes == 0 && DroppedDeletes == 0 && DroppedBytes == 0 && !UsedPreviousHeader && DamagedHeaderSlot < 0 && !RemovedCompactionFile;

    /// <inheritdoc />
    public override string ToString() =>
        $"opened commit {Sequence}: {CommittedCount} codes, {CommittedDeletes} deletes; dropped {DroppedCodes} codes, {DroppedDeletes} deletes, {DroppedBytes} tail bytes"
        + (DamagedHeaderSlot < 0 ? ""
            : UsedPreviousHeader ? $"; the newer header slot {DamagedHeaderSlot} was damaged: rolled back to the previous commit as asked (RecoverToPreviousCommit)"
            : $"; the older header slot {DamagedHeaderSlot} was damaged and not needed (the newest commit is intact)")
        + (RemovedCompactionFile ? "; removed an interrupted compaction file" : "");
}
