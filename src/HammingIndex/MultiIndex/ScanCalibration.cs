using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace HammingIndex.MultiIndex;

/// <summary>
/// What the scan's modelled cost is worth on this machine, now: the front door times the long scans it
/// runs and keeps a running estimate of measured time over modelled cost; <see cref="Scale"/> multiplies
/// the scan's modelled cost when the door weighs it against the tables' counted work. The decision stays
/// a comparison of counted work; only the price of a scanned word is measured.
/// </summary>
/// <remarks>
/// The scan is the side whose price moves. On one 2-core VM a 10M-code 64-bit scan took 2.3 ms one day
/// and 8.8 ms another (memory bandwidth shared with the host's other tenants), a 1M-code one 169 µs and
/// 376 µs (from the last-level cache, or not), while raw MIH on the same k-NN rows moved between 1.3
/// times slower and 1.9 times faster: with the fixed constants the door scanned where the tables were three times
/// faster (bench/README.md, "Front door, tenth session"). The tables are not timed: the door's table
/// attempts are mostly short or abandoned ones, which cost more per modelled unit than whole searches
/// (counting, cold first levels), and timing microsecond radius searches cost them a tenth.
/// <para>
/// Only scans whose pass is modelled at <see cref="MinSampleUnits"/> or more, with a top-k heap of at most
/// a quarter of that, are timed (a clock read is then under a percent of the scan, and the model's heap
/// term, loose on small stores, does not weigh). The first <see cref="SkippedSamples"/> are skipped (tiered JIT),
/// the next <see cref="WarmSamples"/> averaged (in logarithms); after that each moves the estimate by
/// <see cref="Weight"/> of its distance, clamped to a factor of two (a preempted sample: the clock is
/// the wall clock). Until warm the scale is 1; it stays within [<see cref="MinScale"/>, <see cref="MaxScale"/>],
/// so a bad measurement moves the break-even point by a bounded factor and never an answer.
/// Concurrent recorders may race and lose an update; every interleaving leaves a finite scale within the clamps.
/// </para>
/// </remarks>
internal struct ScanCalibration
{
    /// <summary>The shortest modelled scan (ns) that is timed.</summary>
    public const double MinSampleUnits = 50_000;

    /// <summary>The least scale.</summary>
    public const double MinScale = 0.5;

    /// <summary>The greatest scale.</summary>
    public const double MaxScale = 4;

    /// <summary>Samples skipped before any is kept.</summary>
    public const int SkippedSamples = 2;

    /// <summary>Samples averaged before the scale moves off 1.</summary>
    public const int WarmSamples = 4;

    /// <summary>The weight of one sample once warm.</summary>
    public const double Weight = 1.0 / 8;

    private static readonly double s_nanosecondsPerTick = 1e9 / Stopwatch.Frequency;
    private static readonly double s_maxStep = Math.Log(2);

    private double _logRate;
    private int _samples;
    private double _scale; // 0 until warm (read as 1)

    /// <summary>Whether scans are timed (tests turn it off to pin the door's decisions to the model).</summary>
    public bool IsDisabled { get; set; }

    /// <summary>The factor applied to the scan's modelled cost: measured over modelled, once warm; else 1.</summary>
    public readonly double Scale
    {
        get
        {
            double scale = Volatile.Read(ref Unsafe.AsRef(in _scale));
            return scale > 0 ? scale : 1;
        }
    }

    /// <summary>
    /// Whether a scan whose pass over the codes is modelled at <paramref name="passUnits"/> and whose whole
    /// cost (with a top-k heap) at <paramref name="units"/> is to be timed: a long pass, and a heap of at
    /// most a quarter of it, so what is measured is the price of the scanned words. (A top-100 scan of
    /// 300 codes is modelled at 50 µs of heap for microseconds of work: timing it taught the scale 0.5.)
    /// </summary>
    public readonly bool Times(double passUnits, double units) =>
        !IsDisabled && passUnits >= MinSampleUnits && units - passUnits <= passUnits / 4 && !double.IsInfinity(units);

    /// <summary>Records a scan of <paramref name="units"/> modelled nanoseconds that took <paramref name="ticks"/> stopwatch ticks.</summary>
    public void Record(double units, long ticks)
    {
        if (IsDisabled || units < MinSampleUnits || ticks <= 0 || double.IsInfinity(units)) return;
        double log = Math.Log(ticks * s_nanosecondsPerTick / units);
        int seen = Volatile.Read(ref _samples);
        if (seen < SkippedSamples + WarmSamples)
        {
            int kept = seen - SkippedSamples; // the plain mean of the warm samples
            if (kept >= 0) Volatile.Write(ref _logRate, (_logRate * kept + log) / (kept + 1));
            Volatile.Write(ref _samples, seen + 1);
            if (seen + 1 < SkippedSamples + WarmSamples) return;
        }
        else
        {
            double rate = Volatile.Read(ref _logRate);
            Volatile.Write(ref _logRate, rate + Weight * Math.Clamp(log - rate, -s_maxStep, s_maxStep));
        }
        Volatile.Write(ref _scale, Math.Clamp(Math.Exp(Volatile.Read(ref _logRate)), MinScale, MaxScale));
    }
}
