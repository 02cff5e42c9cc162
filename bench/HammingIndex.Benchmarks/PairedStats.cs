namespace HammingIndex.Benchmarks;

/// <summary>Median and time formatting shared by the paired runners (scan-paired, mih-paired, mih-draws).</summary>
internal static class PairedStats
{
    /// <summary>The median (mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>A time in milliseconds as ms, µs or ns, whichever reads best.</summary>
    public static string FormatMilliseconds(double ms) => ms >= 1 ? $"{ms:F2} ms" : ms >= 0.001 ? $"{ms * 1000:F1} µs" : $"{ms * 1e6:F0} ns";
}
