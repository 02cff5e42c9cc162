namespace HammingIndex;

/// <summary>
/// The one family of "this file cannot be used as it is" errors, for every format HammingIndex reads
/// (store, multi-index tables, model, feature and code files). The message names the file and, where
/// they are known, the byte offset, the expected and the actual value; the same facts are properties.
/// </summary>
public class InvalidFileException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    /// <param name="filePath">The file concerned.</param>
    /// <param name="message">What is wrong; the file path is put in front of it.</param>
    /// <param name="offset">Byte offset of the problem in the file, or -1 when it is not a place in the file.</param>
    /// <param name="expected">What the reader expected there, or null.</param>
    /// <param name="actual">What the file holds there, or null.</param>
    /// <param name="inner">The underlying error, or null.</param>
    public InvalidFileException(string filePath, string message, long offset = -1, string? expected = null, string? actual = null, Exception? inner = null)
        : base($"{filePath}: {message}", inner)
    {
        FilePath = filePath;
        Offset = offset;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The file concerned.</summary>
    public string FilePath { get; }

    /// <summary>Byte offset of the problem in the file; -1 when it is not a place in the file.</summary>
    public long Offset { get; }

    /// <summary>What the reader expected, when it is one value; otherwise null.</summary>
    public string? Expected { get; }

    /// <summary>What the file holds, when it is one value; otherwise null.</summary>
    public string? Actual { get; }
}
