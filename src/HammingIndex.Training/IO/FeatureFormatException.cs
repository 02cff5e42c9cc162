namespace HammingIndex.Training.IO;

/// <summary>
/// A feature or code file that cannot be read as its format says: a truncated row, a row whose
/// dimension differs from the first, a value that is not a finite number, a header that is not
/// the format's. The message names the file, the row (1-based) and, where it applies, the column
/// (1-based) and the offending value.
/// </summary>
public sealed class FeatureFormatException : InvalidFileException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    /// <param name="filePath">The file that was being read.</param>
    /// <param name="row">1-based row (0 when the problem is not in a row, e.g. the header).</param>
    /// <param name="column">1-based column, or 0 when the whole row is at fault.</param>
    /// <param name="problem">What is wrong, e.g. "value NaN is not a finite number".</param>
    public FeatureFormatException(string filePath, long row, int column, string problem)
        : base(filePath, Compose(row, column, problem))
    {
        Row = row;
        Column = column;
    }

    /// <summary>1-based row of the problem; 0 for the file header.</summary>
    public long Row { get; }

    /// <summary>1-based column of the problem; 0 when the whole row is at fault.</summary>
    public int Column { get; }

    private static string Compose(long row, int column, string problem)
    {
        string where = row <= 0 ? "" : column <= 0 ? $"row {row}: " : $"row {row}, column {column}: ";
        return where + problem;
    }
}
