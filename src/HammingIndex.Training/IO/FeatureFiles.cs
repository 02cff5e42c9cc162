namespace HammingIndex.Training.IO;

/// <summary>
/// Opens and writes feature files by extension: .npy (<see cref="NpyFeatureReader"/>, <see cref="NpyFile"/>), .fvecs/.bvecs/.ivecs
/// (<see cref="VecsReader"/>), .csv/.tsv (<see cref="DelimitedTextReader"/>).
/// </summary>
public static class FeatureFiles
{
    /// <summary>The extensions <see cref="OpenAsync"/> understands.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".npy", ".fvecs", ".bvecs", ".ivecs", ".csv", ".tsv"];

    /// <summary>Opens <paramref name="path"/> for reading rows, choosing the format by extension.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The extension is not one of <see cref="Extensions"/>.</exception>
    /// <exception cref="IOException">The file is malformed (a <see cref="FeatureFormatException"/> or, for .npy, an <see cref="InvalidDataException"/>).</exception>
    public static async ValueTask<IFeatureReader> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file.", path);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".npy") return NpyFeatureReader.Open(path);
        if (VecsKinds.FromExtension(path) is { } kind) return await VecsReader.OpenAsync(path, kind, cancellationToken).ConfigureAwait(false);
        if (DelimitedTextReader.DelimiterFor(path) is { } d) return await DelimitedTextReader.OpenAsync(path, d, cancellationToken).ConfigureAwait(false);
        throw new ArgumentException($"{path}: unknown feature file extension '{ext}'; expected one of {string.Join(", ", Extensions)}.", nameof(path));
    }

    /// <summary>Reads a whole feature file into memory (for training-sized data).</summary>
    /// <param name="path">The file.</param>
    /// <param name="progress">Receives the number of rows read so far, after each block.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file is malformed.</exception>
    public static async ValueTask<FeatureMatrix> ReadAllAsync(string path, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        if (Path.GetExtension(path).Equals(".npy", StringComparison.OrdinalIgnoreCase) && File.Exists(path))
        {
            FeatureMatrix matrix = NpyFile.ReadMatrix(path);
            MatrixFeatureReader.CheckFinite(matrix.Values, matrix.Columns, 0, path);
            progress?.Report(matrix.Rows);
            return matrix;
        }
        await using IFeatureReader reader = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
        int dim = reader.Dimension;
        int blockRows = Math.Max(1, (1 << 20) / dim);
        var values = new List<double>(reader.RowCount is { } n ? checked((int)(n * dim)) : blockRows * dim);
        var block = new double[blockRows * dim];
        long total = 0;
        int got;
        while ((got = await reader.ReadAsync(block, cancellationToken).ConfigureAwait(false)) > 0)
        {
            values.AddRange(block.AsSpan(0, got * dim));
            total += got;
            progress?.Report(total);
        }
        return new FeatureMatrix(checked((int)total), dim, values.ToArray());
    }

    /// <summary>Writes <paramref name="matrix"/> to <paramref name="path"/> in the format its extension names (.npy as float64).</summary>
    /// <exception cref="ArgumentException">Unknown extension, or a value that does not fit the format.</exception>
    public static void Write(string path, FeatureMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".npy")
        {
            NpyFile.Write(path, matrix);
            return;
        }
        if (VecsKinds.FromExtension(path) is not null)
        {
            using var vecs = VecsWriter.Create(path);
            for (int r = 0; r < matrix.Rows; r++) vecs.WriteRow(matrix.Row(r));
            return;
        }
        if (DelimitedTextReader.DelimiterFor(path) is not null)
        {
            using var text = DelimitedTextWriter.Create(path);
            for (int r = 0; r < matrix.Rows; r++) text.WriteRow(matrix.Row(r));
            return;
        }
        throw new ArgumentException($"{path}: unknown feature file extension '{ext}'; expected one of {string.Join(", ", Extensions)}.", nameof(path));
    }
}
