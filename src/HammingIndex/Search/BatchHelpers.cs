using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace HammingIndex.Search;

/// <summary>
/// The process's helper threads for batches of short, independent work items (a batch's table
/// probes): one per core beyond the first, started on first use. A batch runs on the calling thread
/// from its first item; helpers join as they arrive and claim runs of items that shrink towards the
/// end, so a helper that wakes late costs the caller nothing, and a batch never waits for one to start.
/// The body is handed a whole run at a time, so what it sets up for its items (a store pin, a pooled
/// scratch: shared counters that two cores would otherwise pass back and forth item by item) is set
/// up once a run.
/// </summary>
/// <remarks>
/// A parked thread starts 0.1–2 ms after it is signalled on this project's virtual machines
/// (<c>bench wake-latency</c>; the longer it slept, the longer): as long as a whole batch of short
/// radius queries. So after a batch a helper spins, checking for the next one, for the batch's
/// <see cref="ScanOptions.HelperSpin"/> (2 ms by default), then parks, as OpenMP's threads spin
/// between parallel regions (KMP_BLOCKTIME, 200 ms by default). Batches that follow one another
/// within the spin keep every core; an isolated batch costs the other cores one wake-up and one spin.
/// </remarks>
internal static class BatchHelpers
{
    /// <summary>Helper threads (cores beyond the calling thread's).</summary>
    public static int Count { get; } = Math.Max(0, Environment.ProcessorCount - 1);

    private static readonly object StartLock = new();
    private static readonly SemaphoreSlim Wake = new(0);
    private static bool _started;
    /// <summary>The batches open now, from callers on any threads; a batch finding no free slot runs alone.</summary>
    private static readonly Job?[] Open = new Job?[8];
    private static long _generation;
    private static int _parked;

    /// <summary>Batches handed to the helpers, batches a helper joined, and wake-up signals sent, since the process started (for benchmarks).</summary>
    public static (long Batches, long Joined, long Signals) Counters => (Volatile.Read(ref _batches), Volatile.Read(ref _joined), Volatile.Read(ref _signals));

    private static long _batches, _joined, _signals;

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over runs of consecutive indices that together cover
    /// [<paramref name="from"/>, <paramref name="to"/>) exactly once: on this thread, joined by up to
    /// <paramref name="helpers"/> helper threads when <paramref name="signal"/> (parked helpers are woken)
    /// or when helpers are spinning. Returns when every run is done and no helper still touches the
    /// batch; the first exception a body throws stops the claiming (runs already claimed finish) and is
    /// rethrown here.
    /// </summary>
    public static void For(int from, int to, int helpers, bool signal, TimeSpan spin, Action<int, int> body)
    {
        helpers = Math.Min(helpers, Count);
        if (to - from <= 1 || helpers <= 0)
        {
            if (to > from) body(from, to);
            return;
        }
        var job = new Job(from, to, helpers, (long)(spin.TotalSeconds * Stopwatch.Frequency), body);
        int slot = Publish(job, signal);
        job.RunClaims();
        if (slot >= 0) Volatile.Write(ref Open[slot], null);
        job.Close();
        job.Rethrow();
    }

    /// <summary>Puts the batch in a free slot for the helpers (-1: none free, the caller runs it alone).</summary>
    private static int Publish(Job job, bool signal)
    {
        EnsureStarted();
        int slot = Array.IndexOf(Open, null);
        while (slot >= 0 && Interlocked.CompareExchange(ref Open[slot], job, null) is not null)
            slot = Array.IndexOf(Open, null);
        if (slot < 0) return -1;
        Interlocked.Increment(ref _batches);
        Interlocked.Increment(ref _generation); // full fence: a helper parking now either sees this or is counted below
        int parked = Volatile.Read(ref _parked);
        if (signal && parked > 0)
        {
            Interlocked.Increment(ref _signals);
            Wake.Release(Math.Min(parked, job.MaxHelpers));
        }
        return slot;
    }

    private static void EnsureStarted()
    {
        if (Volatile.Read(ref _started)) return;
        lock (StartLock)
        {
            if (_started) return;
            for (int i = 0; i < Count; i++)
                new Thread(HelperLoop) { IsBackground = true, Name = $"HammingIndex batch helper {i + 1}" }.Start();
            Volatile.Write(ref _started, true);
        }
    }

    private static void HelperLoop()
    {
        long seen = Volatile.Read(ref _generation), spinTicks = 0;
        while (true)
        {
            long generation = Volatile.Read(ref _generation);
            if (generation == seen && spinTicks > 0) generation = SpinForNext(seen, spinTicks);
            if (generation == seen)
            {
                Interlocked.Increment(ref _parked);
                generation = Volatile.Read(ref _generation); // published meanwhile: the publisher may not have seen us parked
                if (generation == seen)
                {
                    Wake.Wait();
                }
                Interlocked.Decrement(ref _parked);
                continue; // a release meant for a batch already over leaves a spare count: the loop simply comes back
            }
            seen = generation;
            for (bool worked = true; worked;) // every open batch, until none has items left to claim
            {
                worked = false;
                foreach (Job? job in Open)
                {
                    if (job is null || !job.Join()) continue;
                    worked = true;
                    spinTicks = job.SpinTicks;
                }
            }
        }
    }

    /// <summary>Spins up to <paramref name="spinTicks"/> for a generation after <paramref name="seen"/>.</summary>
    private static long SpinForNext(long seen, long spinTicks)
    {
        long until = Stopwatch.GetTimestamp() + spinTicks;
        for (int round = 1; ; round++)
        {
            long generation = Volatile.Read(ref _generation);
            if (generation != seen) return generation;
            Thread.SpinWait(20);
            if ((round & 15) == 0)
            {
                if (Stopwatch.GetTimestamp() >= until) return generation;
                if ((round & 255) == 0) Thread.Yield(); // a loaded machine's other threads get the core
            }
        }
    }

    /// <summary>One batch: the next index to claim, and who is working on it.</summary>
    private sealed class Job(int from, int to, int maxHelpers, long spinTicks, Action<int, int> body)
    {
        private const int Closed = 1 << 30;
        private int _next = from;
        /// <summary>Helpers inside the batch, plus <see cref="Closed"/> once the caller has claimed the last index.</summary>
        private int _state;
        private ExceptionDispatchInfo? _failure;

        public int MaxHelpers => maxHelpers;

        /// <summary>Stopwatch ticks a helper spins for the next batch after this one.</summary>
        public long SpinTicks => spinTicks;

        /// <summary>A helper joins unless the batch is closed, has its helpers or has no items left: whether it did.</summary>
        public bool Join()
        {
            while (true)
            {
                if (Volatile.Read(ref _next) >= to) return false;
                int state = Volatile.Read(ref _state);
                if (state >= maxHelpers) return false; // closed (the flag dwarfs any count) or full
                if (Interlocked.CompareExchange(ref _state, state + 1, state) == state) break;
            }
            if (Volatile.Read(ref _next) < to) Interlocked.Increment(ref _joined);
            try
            {
                RunClaims();
            }
            finally
            {
                Interlocked.Decrement(ref _state);
            }
            return true;
        }

        /// <summary>
        /// Claims runs of consecutive indices, each half the rest's share per thread (guided scheduling):
        /// few claims, and neighbouring items mostly on one thread (the items of a batch write neighbouring
        /// entries of shared arrays; two cores alternating item by item would pass cache lines back and
        /// forth), yet single items at the end, so no thread waits long for another's last run.
        /// </summary>
        public void RunClaims()
        {
            int threads = maxHelpers + 1;
            while (true)
            {
                int start = Volatile.Read(ref _next);
                if (start >= to) return;
                int run = Math.Max(1, (to - start) / (2 * threads));
                if (Interlocked.CompareExchange(ref _next, start + run, start) != start) continue;
                try
                {
                    body(start, start + run);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                    Volatile.Write(ref _next, to); // nobody claims more
                    return;
                }
            }
        }

        /// <summary>No helper joins from now on; returns once those inside have left (after their current run).</summary>
        public void Close()
        {
            Interlocked.Add(ref _state, Closed);
            var spin = new SpinWait();
            while (Volatile.Read(ref _state) != Closed) spin.SpinOnce(); // a helper inside finishes at most its current run
        }

        public void Rethrow() => _failure?.Throw();
    }
}
