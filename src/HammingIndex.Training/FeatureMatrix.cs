namespace HammingIndex.Training;

/// <summary>
/// A dense matrix of features: <see cref="Rows"/> samples, each <see cref="Columns"/> values,
/// stored row-major in one <see cref="double"/> array (value (r, c) is at <c>r * Columns + c</c>).
/// Rows are samples, as in NumPy files; the trainer's column-sample notation is a view of this.
/// The one matrix type of the training library: the file readers and writers, the kernel map, the
/// trainer, the model's encoders and the evaluation all take it.
/// </summary>
/// <remarks>
/// A matrix wraps its array without copying it (<see cref="FeatureMatrix(int, int, double[])"/>), so
/// whoever holds the array sees and makes changes to the values.
/// </remarks>
public sealed class FeatureMatrix
{
    /// <summary>Wraps <paramref name="values"/> (not copied) as a <paramref name="rows"/> x <paramref name="columns"/> matrix.</summary>
    /// <param name="rows">Number of rows (samples).</param>
    /// <param name="columns">Number of columns (features per sample).</param>
    /// <param name="values">The values, row-major; exactly rows x columns of them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not hold rows x columns values.</exception>
    public FeatureMatrix(int rows, int columns, double[] values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentNullException.ThrowIfNull(values);
        if ((long)rows * columns != values.LongLength)
            throw new ArgumentException($"A {rows} x {columns} matrix holds {(long)rows * columns} values, but {values.LongLength} were given.", nameof(values));
        Rows = rows;
        Columns = columns;
        Values = values;
    }

    /// <summary>Creates a zero-filled <paramref name="rows"/> x <paramref name="columns"/> matrix.</summary>
    /// <param name="rows">Number of rows (samples).</param>
    /// <param name="columns">Number of columns (features per sample).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative or the matrix is too large for one array.</exception>
    public FeatureMatrix(int rows, int columns)
        : this(rows, columns, new double[CheckedSize(rows, columns)])
    {
    }

    /// <summary>Number of rows (samples).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (features per sample).</summary>
    public int Columns { get; }

    /// <summary>The values, row-major; length <see cref="Rows"/> x <see cref="Columns"/>. Not a copy: writes change the matrix.</summary>
    public double[] Values { get; }

    /// <summary>Value at row <paramref name="row"/>, column <paramref name="column"/>.</summary>
    /// <param name="row">Row index, 0..<see cref="Rows"/> - 1.</param>
    /// <param name="column">Column index, 0..<see cref="Columns"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public double this[int row, int column]
    {
        get => Values[Index(row, column)];
        set => Values[Index(row, column)] = value;
    }

    /// <summary>Copies a two-dimensional array (first index the row) into a new matrix.</summary>
    /// <param name="values">The values; <c>values[r, c]</c> becomes value (r, c).</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The matrix is too large for one array.</exception>
    public static FeatureMatrix FromArray(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var result = new FeatureMatrix(rows, columns);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                result.Values[i * columns + j] = values[i, j];
        return result;
    }

    /// <summary>The values of one row (not a copy).</summary>
    /// <param name="row">Row index, 0..<see cref="Rows"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is out of range.</exception>
    public Span<double> Row(int row)
    {
        if ((uint)row >= (uint)Rows)
            throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in 0..{Rows - 1}.");
        return Values.AsSpan(row * Columns, Columns);
    }

    /// <summary>A new matrix holding the given rows of this one, in the given order.</summary>
    /// <param name="rows">Indexes of the rows to copy; repeats allowed.</param>
    /// <exception cref="ArgumentOutOfRangeException">A row index is out of range.</exception>
    public FeatureMatrix SelectRows(ReadOnlySpan<int> rows)
    {
        var result = new FeatureMatrix(rows.Length, Columns);
        for (int i = 0; i < rows.Length; i++) Row(rows[i]).CopyTo(result.Row(i));
        return result;
    }

    /// <summary>A new matrix holding the given columns of this one, in the given order.</summary>
    /// <param name="columns">Indexes of the columns to copy; repeats allowed.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column index is out of range.</exception>
    public FeatureMatrix SelectColumns(ReadOnlySpan<int> columns)
    {
        foreach (int c in columns)
        {
            if ((uint)c >= (uint)Columns)
                throw new ArgumentOutOfRangeException(nameof(columns), c, $"Column must be in 0..{Columns - 1}.");
        }
        var result = new FeatureMatrix(Rows, columns.Length);
        for (int r = 0; r < Rows; r++)
        {
            ReadOnlySpan<double> source = Row(r);
            Span<double> target = result.Row(r);
            for (int j = 0; j < columns.Length; j++) target[j] = source[columns[j]];
        }
        return result;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Rows} x {Columns} feature matrix";

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="paramName"/>, the row and the column of the first NaN or infinite value.</summary>
    internal void ThrowIfNotFinite(string paramName)
    {
        ReadOnlySpan<double> span = Values;
        for (int k = 0; k < span.Length; k++)
        {
            if (!double.IsFinite(span[k]))
                throw new ArgumentException($"Value {span[k]} at row {k / Columns}, column {k % Columns} is not finite: features must not contain NaN or infinity.", paramName);
        }
    }

    private int Index(int row, int column)
    {
        if ((uint)row >= (uint)Rows)
            throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in 0..{Rows - 1}.");
        if ((uint)column >= (uint)Columns)
            throw new ArgumentOutOfRangeException(nameof(column), column, $"Column must be in 0..{Columns - 1}.");
        return row * Columns + column;
    }

    internal static int CheckedSize(int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        long size = (long)rows * columns;
        if (size > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"A {rows} x {columns} matrix ({size} values) does not fit in one array.");
        return (int)size;
    }
}
