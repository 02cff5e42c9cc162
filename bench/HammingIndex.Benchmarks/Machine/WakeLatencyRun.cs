using System.Diagnostics;

namespace HammingIndex.Benchmarks.Machine;

/// <summary>
/// What handing work to another core costs on this machine, the fact behind the batch helpers'
/// design (<c>BatchHelpers</c>: the caller never waits for a helper, helpers join late and spin for
/// <c>ScanOptions.HelperSpin</c> after a batch before they park): after the process has been idle
/// for a moment, the delay from queueing a thread-pool work item to its start, and from releasing a
/// semaphore to a waiting thread running; and what the first touch of fresh memory costs (a batch's
/// answers are new arrays). Run: <c>wake-latency [samples]</c>.
/// </summary>
public static class WakeLatencyRun
{
    public static void Run(string[] args)
    {
        int samples = args.Length > 0 ? int.Parse(args[0]) : 60;
        var poolDelays = new List<double>();
        for (int i = 0; i < samples; i++)
        {
            Thread.Sleep(i % 3 == 0 ? 20 : 2); // idle, as between a user's batches
            long queued = Stopwatch.GetTimestamp(), started = 0;
            ThreadPool.UnsafeQueueUserWorkItem<object?>(_ => Volatile.Write(ref started, Stopwatch.GetTimestamp()), null, preferLocal: false);
            while (Volatile.Read(ref started) == 0) Thread.SpinWait(20); // the caller keeps its core busy, as a batch does
            poolDelays.Add(Stopwatch.GetElapsedTime(queued, started).TotalMicroseconds);
        }
        Print("thread-pool work item start", poolDelays);

        var semaphore = new SemaphoreSlim(0);
        long woke = 0;
        var waiter = new Thread(() =>
        {
            while (true)
            {
                semaphore.Wait();
                Volatile.Write(ref woke, Stopwatch.GetTimestamp());
            }
        }) { IsBackground = true };
        waiter.Start();
        var wakeDelays = new List<double>();
        for (int i = 0; i < samples; i++)
        {
            Thread.Sleep(2);
            Volatile.Write(ref woke, 0);
            long released = Stopwatch.GetTimestamp();
            semaphore.Release();
            while (Volatile.Read(ref woke) == 0) Thread.SpinWait(20);
            wakeDelays.Add(Stopwatch.GetElapsedTime(released, Volatile.Read(ref woke)).TotalMicroseconds);
        }
        Print("blocked thread woken by a semaphore", wakeDelays);

        // First touch: 64 MiB of fresh pages, then the same pages again.
        const int pages = 16384;
        byte[] fresh = GC.AllocateUninitializedArray<byte>(pages * 4096, pinned: true);
        long start = Stopwatch.GetTimestamp();
        for (int p = 0; p < pages; p++) fresh[p * 4096] = 1;
        double first = Stopwatch.GetElapsedTime(start).TotalMicroseconds / pages;
        start = Stopwatch.GetTimestamp();
        for (int p = 0; p < pages; p++) fresh[p * 4096] = 2;
        double again = Stopwatch.GetElapsedTime(start).TotalMicroseconds / pages;
        Console.WriteLine($"first write to a fresh 4 KiB page: {first:F2} µs (page fault); the same page again: {again * 1e3:F0} ns");
    }

    private static void Print(string what, List<double> delays)
    {
        delays.Sort();
        double At(double q) => delays[(int)Math.Min(delays.Count - 1, q * delays.Count)];
        Console.WriteLine($"{what}: min {delays[0]:F1} µs, p25 {At(0.25):F1}, median {At(0.5):F1}, p75 {At(0.75):F1}, max {delays[^1]:F1} ({delays.Count} samples, {Environment.ProcessorCount} cores)");
    }
}
