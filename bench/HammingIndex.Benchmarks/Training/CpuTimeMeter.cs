using System.Diagnostics;

namespace HammingIndex.Benchmarks.Training;

/// <summary>
/// Process CPU time (all threads, user + system) per benchmark call, printed into the
/// BenchmarkDotNet log at cleanup. On a machine shared with other jobs the wall-clock Mean is
/// inflated by waiting for a core; CPU time is not, and CPU time / cores bounds the idle wall time.
/// </summary>
internal sealed class CpuTimeMeter
{
    private TimeSpan _start;
    private long _calls;

    public void Start()
    {
        _start = Process.GetCurrentProcess().TotalProcessorTime;
        _calls = 0;
    }

    public void Count() => Interlocked.Increment(ref _calls);

    public void Report(string what)
    {
        double seconds = (Process.GetCurrentProcess().TotalProcessorTime - _start).TotalSeconds;
        Console.WriteLine($"// CPU time {what}: {seconds / Math.Max(1, _calls):F3} s per call ({_calls} calls, {Environment.ProcessorCount} cores)");
    }
}
