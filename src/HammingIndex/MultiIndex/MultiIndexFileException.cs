namespace HammingIndex.MultiIndex;

/// <summary>Why a saved multi-index was refused.</summary>
public enum MultiIndexFileError
{
    /// <summary>The file does not start with the multi-index magic number.</summary>
    NotAMultiIndexFile = 0,

    /// <summary>The file was written in another format version.</summary>
    UnsupportedVersion = 1,

    /// <summary>A checksum or a structural check failed, or the file is truncated.</summary>
    Corrupt = 2,

    /// <summary>The file is intact but was built over another store, code length or generation.</summary>
    Stale = 3,
}

/// <summary>A saved multi-index file cannot be used; <see cref="Error"/> says why.</summary>
public sealed class MultiIndexFileException : InvalidFileException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public MultiIndexFileException(string path, MultiIndexFileError error, string message, long offset = -1, string? expected = null, string? actual = null)
        : base(path, message, offset, expected, actual)
    {
        Error = error;
    }

    /// <summary>The file (the same as <see cref="InvalidFileException.FilePath"/>).</summary>
    public string Path => FilePath;

    /// <summary>Why it was refused.</summary>
    public MultiIndexFileError Error { get; }
}
