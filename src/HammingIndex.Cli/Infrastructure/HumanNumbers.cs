using System.Globalization;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Numbers as people read them in the CLI's tables: "1.56 G", "312 k", never "1.562E+009".</summary>
internal static class HumanNumbers
{
    private static readonly (double Scale, string Prefix)[] Prefixes = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")];

    /// <summary>
    /// <paramref name="value"/> with three significant digits and a decimal prefix (k, M, G, T) and
    /// <paramref name="unit"/> after a space: 1.562e9 codes/s → "1.56 G codes/s"; below 1000, plain
    /// ("950 codes/s", "0.5 codes/s"); not finite → "n/a".
    /// </summary>
    public static string Si(double value, string unit)
    {
        if (!double.IsFinite(value)) return "n/a";
        string suffix = unit.Length == 0 ? "" : " " + unit;
        double magnitude = Math.Abs(value);
        foreach (var (scale, prefix) in Prefixes)
        {
            // Rounding to three digits can carry into the next prefix (999,600 → "1.00 M", not "1000 k").
            if (magnitude >= scale * 0.9995)
                return Significant(value / scale) + " " + prefix + suffix;
        }
        return Significant(value) + suffix;
    }

    private static string Significant(double value)
    {
        double magnitude = Math.Abs(value);
        string format = magnitude >= 99.95 ? "F0" : magnitude >= 9.995 ? "F1" : "F2";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }
}
