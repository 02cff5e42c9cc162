using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace HammingIndex.Training.IO;

/// <summary>
/// Streams a CSV or TSV file of numbers (one row per line, one value per field) through a
/// <see cref="PipeReader"/>. A first line with a field that is not a number is taken as a header
/// of column names. Blank lines are skipped; fields may be padded with spaces or wrapped in double
/// quotes; "\r\n" line ends are accepted. Every row must have the first row's number of fields,
/// and every value must be a finite number (invariant culture, '.' decimal point).
/// </summary>
/// <remarks>Row numbers in errors count data rows from 1; the message also gives the line.</remarks>
public sealed class DelimitedTextReader : IFeatureReader
{
    /// <summary>Longest line accepted, in bytes (a guard against a file without line ends).</summary>
    public const int MaxLineBytes = 64 << 20;

    private readonly PipeReader _pipe;
    private readonly byte _delimiter;
    private double[]? _pending;
    private long _line;
    private long _rowsRead;
    private long _rowsParsed;
    private bool _ended;

    private DelimitedTextReader(string path, PipeReader pipe, byte delimiter)
    {
        FilePath = path;
        _pipe = pipe;
        _delimiter = delimiter;
    }

    /// <inheritdoc />
    public string FilePath { get; }

    /// <summary>The field separator: ',' for .csv, '\t' for .tsv.</summary>
    public char Delimiter => (char)_delimiter;

    /// <summary>Column names from the header line, or null when the file has none.</summary>
    public IReadOnlyList<string>? ColumnNames { get; private set; }

    /// <inheritdoc />
    public int Dimension { get; private set; }

    /// <inheritdoc />
    /// <remarks>Always null: a text file does not say how many rows it has until it is read.</remarks>
    public long? RowCount => null;

    /// <inheritdoc />
    public long RowsRead => _rowsRead;

    /// <summary>The delimiter a file extension implies (',' for .csv, '\t' for .tsv), or null.</summary>
    public static char? DelimiterFor(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => ',',
        ".tsv" or ".tab" => '\t',
        _ => null,
    };

    /// <summary>Opens <paramref name="path"/>, reads the header (if any) and the first row to learn the dimension.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">No delimiter given and the extension is not .csv/.tsv.</exception>
    /// <exception cref="FeatureFormatException">The file has no data row, or its first row is malformed.</exception>
    public static async ValueTask<DelimitedTextReader> OpenAsync(string path, char? delimiter = null, CancellationToken cancellationToken = default)
    {
        char d = delimiter ?? DelimiterFor(path)
            ?? throw new ArgumentException($"{path}: the extension does not say whether fields are separated by commas (.csv) or tabs (.tsv).", nameof(path));
        var (_, pipe) = PipeFile.OpenRead(path);
        var reader = new DelimitedTextReader(path, pipe, (byte)d);
        try
        {
            reader._pending = await reader.NextRowAsync(allowHeader: true, cancellationToken).ConfigureAwait(false)
                ?? throw new FeatureFormatException(path, 0, 0, "the file has no data rows.");
            return reader;
        }
        catch
        {
            await pipe.CompleteAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<int> ReadAsync(Memory<double> destination, CancellationToken cancellationToken = default)
    {
        int maxRows = FeatureReaderArguments.MaxRows(destination, Dimension);
        int rows = 0;
        if (_pending is not null)
        {
            _pending.CopyTo(destination.Span);
            _pending = null;
            rows = 1;
        }
        while (rows < maxRows && !_ended)
        {
            ReadResult result = await _pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            rows += ParseLines(ref buffer, result.IsCompleted, destination.Span[(rows * Dimension)..], maxRows - rows, header: null);
            _pipe.AdvanceTo(buffer.Start, rows == maxRows ? buffer.Start : result.Buffer.End);
            if (result.IsCompleted && rows < maxRows) _ended = true;
        }
        _rowsRead += rows;
        return rows;
    }

    private async ValueTask<double[]?> NextRowAsync(bool allowHeader, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await _pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            var row = new List<double>();
            int found = ParseLines(ref buffer, result.IsCompleted, Span<double>.Empty, 1, header: row, allowHeader);
            _pipe.AdvanceTo(buffer.Start, found > 0 ? buffer.Start : result.Buffer.End);
            if (found > 0) return [.. row];
            if (result.IsCompleted) return null;
        }
    }

    /// <summary>
    /// Parses up to <paramref name="maxRows"/> data rows from whole lines of <paramref name="buffer"/>
    /// (the last line too when <paramref name="completed"/>), advancing it past what was used. While
    /// the dimension is unknown (<paramref name="header"/> not null) the first data row goes to
    /// <paramref name="header"/> and sets the dimension.
    /// </summary>
    private int ParseLines(ref ReadOnlySequence<byte> buffer, bool completed, Span<double> destination, int maxRows,
        List<double>? header, bool allowHeader = false)
    {
        int rows = 0;
        while (rows < maxRows)
        {
            ReadOnlySequence<byte> lineSeq;
            SequencePosition? end = buffer.PositionOf((byte)'\n');
            if (end is { } e)
            {
                lineSeq = buffer.Slice(0, e);
                buffer = buffer.Slice(buffer.GetPosition(1, e));
            }
            else if (completed && buffer.Length > 0)
            {
                lineSeq = buffer;
                buffer = buffer.Slice(buffer.End);
            }
            else
            {
                if (buffer.Length > MaxLineBytes)
                    throw new FeatureFormatException(FilePath, _rowsParsed + 1, 0, $"line {_line + 1} is longer than {MaxLineBytes} bytes; is this really a text file?");
                break;
            }
            _line++;
            ReadOnlySpan<byte> line = lineSeq.IsSingleSegment ? lineSeq.FirstSpan : lineSeq.ToArray();
            if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
            if (line.Trim((byte)' ').IsEmpty) continue;
            if (header is not null)
            {
                if (allowHeader && _line == 1 && LooksLikeHeader(line))
                {
                    ColumnNames = SplitNames(line);
                    continue;
                }
                Dimension = CountFields(line);
                var values = new double[Dimension];
                ParseRow(line, values);
                header.AddRange(values);
            }
            else
            {
                ParseRow(line, destination.Slice(rows * Dimension, Dimension));
            }
            _rowsParsed++;
            rows++;
        }
        return rows;
    }

    private int CountFields(ReadOnlySpan<byte> line) => line.Count(_delimiter) + 1;

    private bool LooksLikeHeader(ReadOnlySpan<byte> line)
    {
        foreach (Range r in line.Split(_delimiter))
        {
            ReadOnlySpan<byte> field = Unwrap(line[r]);
            if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return true;
        }
        return false;
    }

    private string[] SplitNames(ReadOnlySpan<byte> line)
    {
        var names = new List<string>();
        foreach (Range r in line.Split(_delimiter)) names.Add(Encoding.UTF8.GetString(Unwrap(line[r])));
        return [.. names];
    }

    private void ParseRow(ReadOnlySpan<byte> line, Span<double> row)
    {
        long rowNumber = _rowsParsed + 1;
        int fields = CountFields(line);
        if (fields != row.Length)
            throw new FeatureFormatException(FilePath, rowNumber, 0,
                $"{fields} fields on line {_line}, but the first row had {row.Length} (every row needs the same number).");
        int j = 0;
        foreach (Range r in line.Split(_delimiter))
        {
            ReadOnlySpan<byte> field = Unwrap(line[r]);
            if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                throw new FeatureFormatException(FilePath, rowNumber, j + 1, $"value '{Encoding.UTF8.GetString(field)}' on line {_line} is not a number.");
            if (!double.IsFinite(v))
                throw new FeatureFormatException(FilePath, rowNumber, j + 1, $"value {Encoding.UTF8.GetString(field)} on line {_line} is not a finite number.");
            row[j++] = v;
        }
    }

    private static ReadOnlySpan<byte> Unwrap(ReadOnlySpan<byte> field)
    {
        field = field.Trim((byte)' ');
        if (field.Length >= 2 && field[0] == (byte)'"' && field[^1] == (byte)'"') field = field[1..^1].Trim((byte)' ');
        return field;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _pipe.CompleteAsync();
}
