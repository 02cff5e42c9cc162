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
