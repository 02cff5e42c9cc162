using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HammingIndex.Benchmarks;

/// <summary>
/// The calling thread's CPU time (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>), for single-thread
/// timings on a shared, oversubscribed machine: time the thread waits for a core does not count, so a
/// preemption no longer lands on whichever path happened to run. Falls back to the wall clock elsewhere.
/// </summary>
internal static partial class ThreadClock
{
    private const int ClockThreadCpuTime = 3;
    private const int ClockProcessCpuTime = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>Whether the CPU clock is available (else the wall clock is used).</summary>
    public static bool IsCpuTime { get; } = OperatingSystem.IsLinux() && Probe();

    /// <summary>Now, in nanoseconds of this thread's CPU time (or of the wall clock).</summary>
    public static long NowNanoseconds()
    {
        if (IsCpuTime && ClockGetTime(ClockThreadCpuTime, out TimeSpec t) == 0) return t.Seconds * 1_000_000_000 + t.Nanoseconds;
        return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
    }

    /// <summary>Now, in nanoseconds of the whole process's CPU time (every thread), or NaN where not available.</summary>
    public static double ProcessNanoseconds() =>
        IsCpuTime && ClockGetTime(ClockProcessCpuTime, out TimeSpec t) == 0 ? t.Seconds * 1e9 + t.Nanoseconds : double.NaN;

    private static bool Probe()
    {
        try
        {
            return ClockGetTime(ClockThreadCpuTime, out _) == 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }
}
