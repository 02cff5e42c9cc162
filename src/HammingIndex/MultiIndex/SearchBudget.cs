using System.Diagnostics;

namespace HammingIndex.MultiIndex;

/// <summary>
/// How much a multi-index search may spend before it gives up: cost-model units (checked against the
/// model's estimates, so a hopeless search is not even started) and a wall-clock deadline
/// (<see cref="Stopwatch"/> ticks), which keeps the waste bounded even when the model's constants are
/// off for this machine or its load. A k-NN search whose remaining work becomes predictable (k codes
/// held) may switch to the larger extended budget when all that work is expected to fit it.
/// </summary>
internal readonly record struct SearchBudget(double Units, long DeadlineTicks, double ExtendedUnits, long ExtendedDeadlineTicks)
{
    /// <summary>No limit.</summary>
    public static SearchBudget Unlimited => new(double.PositiveInfinity, long.MaxValue, double.PositiveInfinity, long.MaxValue);

    /// <summary>A budget in cost units only.</summary>
    public SearchBudget(double units) : this(units, long.MaxValue, units, long.MaxValue)
    {
    }

    public bool IsUnlimited => double.IsPositiveInfinity(Units) && DeadlineTicks == long.MaxValue;

    /// <summary>
    /// <paramref name="units"/> cost units within <paramref name="seconds"/> from now, extensible to
    /// <paramref name="extendedUnits"/> within <paramref name="extendedSeconds"/> (infinite: no deadline).
    /// </summary>
    public static SearchBudget FromNow(double units, double seconds, double extendedUnits, double extendedSeconds)
    {
        long now = Stopwatch.GetTimestamp();
        return new(units, Deadline(now, seconds), extendedUnits, Deadline(now, extendedSeconds));
    }

    private static long Deadline(long now, double seconds) =>
        double.IsFinite(seconds) ? now + (long)Math.Min(seconds * Stopwatch.Frequency, long.MaxValue / 4) : long.MaxValue;
}
