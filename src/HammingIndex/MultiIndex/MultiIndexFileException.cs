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
public sealed class MultiIndexFileException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public MultiIndexFileException(string path, MultiIndexFileError error, string message)
        : base($"{path}: {message}")
    {
        Path = path;
        Error = error;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Why it was refused.</summary>
    public MultiIndexFileError Error { get; }
}
