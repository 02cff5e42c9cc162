namespace HammingIndex.Training.Scratch;

/// <summary>
/// A SCRATCH model file that cannot be used: not a model file, another format version, truncated,
/// longer than its header says, an inconsistent header, or a checksum that does not match. The
/// message and the properties name the file, the byte offset, the expected and the actual value.
/// </summary>
public sealed class ModelFormatException : InvalidFileException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    /// <param name="filePath">The model file (or "stream").</param>
    /// <param name="message">What is wrong; the file path is put in front of it.</param>
    /// <param name="offset">Byte offset of the problem, or -1.</param>
    /// <param name="expected">What the reader expected there, or null.</param>
    /// <param name="actual">What the file holds there, or null.</param>
    /// <param name="inner">The underlying error, or null.</param>
    public ModelFormatException(string filePath, string message, long offset = -1, string? expected = null, string? actual = null, Exception? inner = null)
        : base(filePath, message, offset, expected, actual, inner)
    {
    }
}
