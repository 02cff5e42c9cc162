namespace HammingIndex.Storage;

/// <summary>
/// A store file cannot be used as it is: the base of the specific store-file errors. The message names
/// the file and gives the expected and the actual value.
/// </summary>
public class StoreFormatException : InvalidFileException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public StoreFormatException(string filePath, string message, Exception? inner = null, long offset = -1, string? expected = null, string? actual = null)
        : base(filePath, message, offset, expected, actual, inner)
    {
    }
}

/// <summary>The file is not a HammingIndex store (wrong magic number, or too short to hold one).</summary>
public sealed class NotAStoreException : StoreFormatException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public NotAStoreException(string filePath, string message) : base(filePath, message)
    {
    }
}

/// <summary>The file is a store of a format version this library does not read.</summary>
public sealed class StoreVersionException : StoreFormatException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public StoreVersionException(string filePath, int expectedVersion, int actualVersion)
        : base(filePath, $"store format version {actualVersion} is not supported; expected version {expectedVersion}.")
    {
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The version this library reads and writes.</summary>
    public int ExpectedVersion { get; }

    /// <summary>The version the file declares.</summary>
    public int ActualVersion { get; }
}

/// <summary>
/// The store's header, a data block or its tombstone log does not match its checksum or holds an
/// impossible value. Thrown on open (header, tombstones, or every block when verifying eagerly) or on
/// the first read of a corrupted block.
/// </summary>
public class StoreCorruptedException : StoreFormatException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public StoreCorruptedException(string filePath, string message) : base(filePath, message)
    {
    }

    /// <summary>Creates the exception for <paramref name="filePath"/> with the place and the values that disagree.</summary>
    public StoreCorruptedException(string filePath, string message, long offset, string? expected, string? actual)
        : base(filePath, message, offset: offset, expected: expected, actual: actual)
    {
    }
}

/// <summary>
/// The newer header slot is damaged (checksum, magic or version bytes) while the file holds data of a
/// newer commit than the older, intact slot describes: opening at the older commit would drop data a
/// completed <see cref="CodeStore.Flush"/> acknowledged, so <see cref="CodeStore.Open"/> refuses and
/// changes nothing on disk. Rolling back is explicit: open with
/// <see cref="CodeStoreOptions.RecoverToPreviousCommit"/>. <see cref="InvalidFileException.Offset"/>
/// is the damaged slot's offset; Expected and Actual are the values that disagree in it.
/// </summary>
public sealed class StoreHeaderDamagedException : StoreCorruptedException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public StoreHeaderDamagedException(string filePath, int damagedSlot, int intactSlot, long intactCount, long intactDeletes, string damage, string evidence, string expected, string actual)
        : base(filePath,
            $"the newer header slot {damagedSlot} (offset {StoreFileFormat.HeaderSlotOffset(damagedSlot)}) is damaged ({damage}), and the file holds a newer commit than " +
            $"the older slot {intactSlot} describes ({intactCount} codes, {intactDeletes} deletes): {evidence}. Opening at the older commit would drop acknowledged data, " +
            "so nothing was changed. To roll back to the older commit explicitly, open with CodeStoreOptions.RecoverToPreviousCommit = true.",
            StoreFileFormat.HeaderSlotOffset(damagedSlot), expected, actual)
    {
        DamagedSlot = damagedSlot;
        IntactSlot = intactSlot;
        IntactCount = intactCount;
        IntactDeletes = intactDeletes;
    }

    /// <summary>The damaged (newer) header slot, 0 or 1.</summary>
    public int DamagedSlot { get; }

    /// <summary>The intact (older) header slot, 0 or 1.</summary>
    public int IntactSlot { get; }

    /// <summary>Codes committed by the older slot: what a rollback would keep.</summary>
    public long IntactCount { get; }

    /// <summary>Deletes committed by the older slot.</summary>
    public long IntactDeletes { get; }
}

/// <summary>The file is shorter than its committed header says it must be.</summary>
public sealed class StoreTruncatedException : StoreCorruptedException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public StoreTruncatedException(string filePath, long expectedLength, long actualLength, string what)
        : base(filePath, $"the file is truncated: {what} needs at least {expectedLength} bytes, but the file has {actualLength}.")
    {
        ExpectedLength = expectedLength;
        ActualLength = actualLength;
    }

    /// <summary>The minimum length the file must have.</summary>
    public long ExpectedLength { get; }

    /// <summary>The file's length.</summary>
    public long ActualLength { get; }
}
