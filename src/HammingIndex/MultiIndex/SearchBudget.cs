using System.Diagnostics;

namespace HammingIndex.MultiIndex;

/// <summary>
/// How much a multi-index search may spend before it gives up: cost-model units (checked against the
/// model's estimates, so a hopeless search is not even started) and a wall-clock deadline
/// (<see cref="Stopwatch"/> ticks), which keeps the waste bounded even when the model's constants are
/// off for this machine or its load.
/// </summary>
internal readonly record struct SearchBudget(double Units, long DeadlineTicks)
{
    /// <summary>No limit.</summary>
    public static SearchBudget Unlimited => new(double.PositiveInfinity, long.MaxValue);

    /// <summary>A budget in cost units only.</summary>
    public SearchBudget(double units) : this(units, long.MaxValue)
    {
    }

    public bool IsUnlimited => double.IsPositiveInfinity(Units) && DeadlineTicks == long.MaxValue;

    /// <summary>
    /// <paramref name="units"/> cost units, and <paramref name="seconds"/> from now (infinite or NaN: no deadline).
    /// </summary>
    public static SearchBudget FromNow(double units, double seconds) =>
        new(units, double.IsFinite(seconds) ? Stopwatch.GetTimestamp() + (long)Math.Min(seconds * Stopwatch.Frequency, long.MaxValue / 4) : long.MaxValue);
}
