using System.Globalization;
using System.Text;

namespace HammingIndex.Training.IO;

/// <summary>
/// Writes rows of numbers as CSV (',') or TSV ('\t'), one row per line, each value in the
/// shortest form that reads back to the same double. Dispose to flush and close.
/// </summary>
public sealed class DelimitedTextWriter : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly char _delimiter;
    private long _rows;

    private DelimitedTextWriter(string path, char delimiter, IReadOnlyList<string>? columnNames)
    {
        FilePath = path;
        _delimiter = delimiter;
        _writer = new StreamWriter(PipeFile.OpenWrite(path), new UTF8Encoding(false)) { NewLine = "\n" };
        if (columnNames is not null)
        {
            Dimension = columnNames.Count;
            _writer.WriteLine(string.Join(delimiter, columnNames));
        }
    }

    /// <summary>Creates (or truncates) <paramref name="path"/>; the delimiter comes from the extension (.csv/.tsv) unless given.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="columnNames">Optional header line of column names.</param>
    /// <param name="delimiter">Field separator; by default from the extension.</param>
    /// <exception cref="ArgumentException">No delimiter given and the extension is not .csv/.tsv.</exception>
    public static DelimitedTextWriter Create(string path, IReadOnlyList<string>? columnNames = null, char? delimiter = null)
    {
        char d = delimiter ?? DelimitedTextReader.DelimiterFor(path)
            ?? throw new ArgumentException($"{path}: the extension does not say whether to separate fields by commas (.csv) or tabs (.tsv).", nameof(path));
        return new DelimitedTextWriter(path, d, columnNames);
    }

    /// <summary>The file being written.</summary>
    public string FilePath { get; }

    /// <summary>Values per row (0 before the first row or header).</summary>
    public int Dimension { get; private set; }

    /// <summary>Writes one row.</summary>
    /// <exception cref="ArgumentException">The row is empty, has another length than the first, or holds a value that is not finite.</exception>
    public void WriteRow(ReadOnlySpan<double> row)
    {
        if (row.IsEmpty) throw new ArgumentException($"{FilePath}: row {_rows + 1} is empty.", nameof(row));
        if (Dimension == 0) Dimension = row.Length;
        else if (row.Length != Dimension)
            throw new ArgumentException($"{FilePath}: row {_rows + 1} has {row.Length} values, but the first row had {Dimension}.", nameof(row));
        for (int j = 0; j < row.Length; j++)
        {
            if (!double.IsFinite(row[j]))
                throw new ArgumentException($"{FilePath}: row {_rows + 1}, column {j + 1}: value {row[j].ToString(CultureInfo.InvariantCulture)} is not finite.", nameof(row));
            if (j > 0) _writer.Write(_delimiter);
            _writer.Write(row[j].ToString("R", CultureInfo.InvariantCulture));
        }
        _writer.WriteLine();
        _rows++;
    }

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose() => _writer.Dispose();
}
