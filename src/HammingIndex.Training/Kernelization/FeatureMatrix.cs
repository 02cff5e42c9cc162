namespace HammingIndex.Training.Kernelization;

/// <summary>
/// A read-only dense matrix of features, one sample per row, stored row-major
/// (<see cref="Rows"/> x <see cref="Columns"/> doubles; element (i, j) at index i * Columns + j).
/// A thin view: it does not copy <see cref="Values"/>.
/// </summary>
public readonly struct FeatureMatrix
{
    /// <summary>Wraps <paramref name="values"/> as a <paramref name="rows"/> x <paramref name="columns"/> row-major matrix.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative dimension.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not hold exactly rows * columns doubles.</exception>
    public FeatureMatrix(ReadOnlyMemory<double> values, int rows, int columns)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "Row count must not be negative.");
        if (columns < 0) throw new ArgumentOutOfRangeException(nameof(columns), columns, "Column count must not be negative.");
        if ((long)rows * columns != values.Length)
            throw new ArgumentException($"A {rows} x {columns} matrix needs {(long)rows * columns} values, but {values.Length} were given.", nameof(values));
        Values = values;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>The row-major values.</summary>
    public ReadOnlyMemory<double> Values { get; }

    /// <summary>Number of rows (samples).</summary>
    public int Rows { get; }

    /// <summary>Number of columns (features per sample).</summary>
    public int Columns { get; }

    /// <summary>The values of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<double> Row(int row) => Values.Span.Slice(row * Columns, Columns);

    /// <summary>Copies a two-dimensional array into a new row-major matrix.</summary>
    public static FeatureMatrix FromArray(double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var data = new double[rows * columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                data[i * columns + j] = values[i, j];
        return new FeatureMatrix(data, rows, columns);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="paramName"/>, the row and the column of the first NaN or infinite value.</summary>
    internal void ThrowIfNotFinite(string paramName)
    {
        ReadOnlySpan<double> span = Values.Span;
        for (int k = 0; k < span.Length; k++)
        {
            if (!double.IsFinite(span[k]))
                throw new ArgumentException($"Value {span[k]} at row {k / Columns}, column {k % Columns} is not finite: features must not contain NaN or infinity.", paramName);
        }
    }
}
