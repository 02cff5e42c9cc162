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

    /// <summary>
    /// The order in which <paramref name="paths"/> paths run at step <paramref name="step"/> of an interleaved
    /// round: the steps cycle through every permutation, so each path follows each other path equally
    /// often. A rotation of one order (0, 1, 2; 1, 2, 0; 2, 0, 1) kept path 2 right after path 1 in two
    /// steps of three: in the door matrix that put the door after raw MIH's 10 ms 100-NN searches twice as
    /// often as the scan, and the door read 1.14 of the scan it was running (1.00 with MIH out of the rounds).
    /// </summary>
    public static int[] Order(int paths, int step)
    {
        int[][] all = s_orders[paths] ??= Permutations(paths);
        return all[step % all.Length];
    }

    private static readonly int[][]?[] s_orders = new int[][]?[8];

    private static int[][] Permutations(int n)
    {
        if (n == 1) return [[0]];
        var result = new List<int[]>();
        foreach (int[] rest in Permutations(n - 1))
            for (int at = 0; at <= rest.Length; at++)
                result.Add([.. rest[..at], n - 1, .. rest[at..]]);
        return [.. result];
    }

    /// <summary>A time in milliseconds as ms, µs or ns, whichever reads best.</summary>
    public static string FormatMilliseconds(double ms) => ms >= 1 ? $"{ms:F2} ms" : ms >= 0.001 ? $"{ms * 1000:F1} µs" : $"{ms * 1e6:F0} ns";
}
