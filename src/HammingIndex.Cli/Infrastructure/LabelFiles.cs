using HammingIndex.Training;
using HammingIndex.Training.Evaluation;
using HammingIndex.Training.IO;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>
/// Reads labels: a 0/1 indicator matrix (one column per label, several 1s allowed per row), or a
/// single column of class numbers 0..c-1 (one class per row).
/// </summary>
internal static class LabelFiles
{
    public static async Task<LabelSet> ReadAsync(string path, CancellationToken cancellationToken)
    {
        FeatureMatrix m = await FeatureFiles.ReadAllAsync(path, cancellationToken: cancellationToken);
        if (m.Columns == 1)
        {
            var classes = new int[m.Rows];
            for (int r = 0; r < m.Rows; r++)
            {
                double v = m[r, 0];
                if (v < 0 || v != Math.Floor(v) || v > 1_000_000)
                    throw new CliException($"{path}: row {r + 1}: a one-column label file holds class numbers 0, 1, 2, ..., not {v}.");
                classes[r] = (int)v;
            }
            return LabelSet.FromClasses(classes, classes.Length == 0 ? 1 : classes.Max() + 1);
        }
        for (int i = 0; i < m.Values.Length; i++)
        {
            double v = m.Values[i];
            if (v is not (0 or 1))
                throw new CliException($"{path}: row {i / m.Columns + 1}, column {i % m.Columns + 1}: label indicators are 0 or 1, not {v}.");
        }
        return LabelSet.FromIndicatorMatrix(m);
    }
}
