using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace HammingIndex.Search;

/// <summary>
/// The process's helper threads for batches of short, independent work items (a batch's table
/// probes): one per core beyond the first, started on first use. A batch runs on the calling thread
/// from its first item; helpers join as they arrive and claim items one at a time, so a helper that
/// wakes late costs the caller nothing, and a batch never waits for one to start.
/// </summary>
/// <remarks>
/// A parked thread starts about 1.9 ms after it is signalled on this project's virtual machines
/// (<c>bench wake-latency</c>): longer than a whole batch of short radius queries. So after a batch a
/// helper spins, checking for the next one, for as long as its own last wake-up took (measured at each
/// wake, capped at <see cref="MaxSpin"/>), then parks: the spin-then-block rule that costs at most
/// twice the better of the two choices made in hindsight, and the reason OpenMP's threads spin
/// (KMP_BLOCKTIME) between parallel regions. Batches that follow one another closely keep every core;
/// an isolated batch pays one wake-up and one spin on the other cores.
/// </remarks>
internal static class BatchHelpers
{
    /// <summary>The longest a helper spins for the next batch before it parks.</summary>
    public static readonly TimeSpan MaxSpin = TimeSpan.FromMilliseconds(4);

    /// <summary>Helper threads (cores beyond the calling thread's).</summary>
    public static int Count { get; } = Math.Max(0, Environment.ProcessorCount - 1);

    private static readonly object StartLock = new();
    private static readonly SemaphoreSlim Wake = new(0);
    private static bool _started;
    private static Job? _current;
    private static long _generation;
    private static int _parked;
    private static long _signalledAt;
    /// <summary>Stopwatch ticks a helper spins after a batch: its last wake-up's delay, capped.</summary>
    private static long _spinTicks = Stopwatch.Frequency / 5000; // 200 µs until a wake-up is measured
    private static int _measured;

    /// <summary>Whether a helper is spinning now, so that a batch handed over starts at once.</summary>
    public static bool AnySpinning => Count > 0 && Volatile.Read(ref _started) && Volatile.Read(ref _parked) < Count;

    /// <summary>
    /// Runs <paramref name="body"/> for every index in [<paramref name="from"/>, <paramref name="to"/>):
    /// on this thread, joined by up to <paramref name="helpers"/> helper threads when
    /// <paramref name="signal"/> (parked helpers are woken) or when helpers are spinning. Returns when every
    /// index has run and no helper still touches the batch; the first exception a body throws stops the
    /// claiming and is rethrown here.
    /// </summary>
    public static void For(int from, int to, int helpers, bool signal, Action<int> body)
    {
        helpers = Math.Min(helpers, Count);
        if (to - from <= 1 || helpers <= 0)
        {
            for (int i = from; i < to; i++) body(i);
            return;
        }
        var job = new Job(from, to, helpers, body);
        Publish(job, signal);
        job.RunClaims();
        job.Close();
        Interlocked.CompareExchange(ref _current, null, job); // a batch published since by another caller stays
        job.Rethrow();
    }

    private static void Publish(Job job, bool signal)
    {
        EnsureStarted();
        Volatile.Write(ref _current, job);
        Interlocked.Increment(ref _generation); // full fence: a helper parking now either sees this or is counted below
        int parked = Volatile.Read(ref _parked);
        if (signal && parked > 0)
        {
            Volatile.Write(ref _signalledAt, Stopwatch.GetTimestamp());
            Wake.Release(Math.Min(parked, job.MaxHelpers));
        }
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
        long seen = Volatile.Read(ref _generation);
        while (true)
        {
            long generation = Volatile.Read(ref _generation);
            if (generation == seen) generation = SpinForNext(seen);
            if (generation == seen)
            {
                Interlocked.Increment(ref _parked);
                generation = Volatile.Read(ref _generation); // published meanwhile: the publisher may not have seen us parked
                if (generation == seen)
                {
                    Wake.Wait();
                    // A wake-up for a new batch measures the delay; a spare count left by a release
                    // for a batch this helper had already seen (no new generation) does not.
                    if (Volatile.Read(ref _generation) != seen) Measure(Stopwatch.GetTimestamp() - Volatile.Read(ref _signalledAt));
                }
                Interlocked.Decrement(ref _parked);
                continue; // a release meant for a batch already over leaves a spare count: the loop simply comes back
            }
            seen = generation;
            Volatile.Read(ref _current)?.Join();
        }
    }

    /// <summary>The spin after a batch follows the wake-up delays: the first replaces the guess, later ones move it a quarter.</summary>
    private static void Measure(long waited)
    {
        if (waited <= 0) return;
        waited = Math.Min(waited, (long)(MaxSpin.TotalSeconds * Stopwatch.Frequency));
        long spin = Volatile.Read(ref _spinTicks);
        Volatile.Write(ref _spinTicks, Interlocked.Exchange(ref _measured, 1) == 0 ? waited : spin + (waited - spin) / 4);
    }

    /// <summary>Spins up to the measured wake-up delay for a generation after <paramref name="seen"/>.</summary>
    private static long SpinForNext(long seen)
    {
        long until = Stopwatch.GetTimestamp() + Volatile.Read(ref _spinTicks);
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
    private sealed class Job(int from, int to, int maxHelpers, Action<int> body)
    {
        private const int Closed = 1 << 30;
        private int _next = from;
        /// <summary>Helpers inside the batch, plus <see cref="Closed"/> once the caller has claimed the last index.</summary>
        private int _state;
        private ExceptionDispatchInfo? _failure;

        public int MaxHelpers => maxHelpers;

        /// <summary>A helper joins unless the batch is closed or has its helpers.</summary>
        public void Join()
        {
            while (true)
            {
                int state = Volatile.Read(ref _state);
                if (state >= maxHelpers) return; // closed (the flag dwarfs any count) or full
                if (Interlocked.CompareExchange(ref _state, state + 1, state) == state) break;
            }
            try
            {
                RunClaims();
            }
            finally
            {
                Interlocked.Decrement(ref _state);
            }
        }

        public void RunClaims()
        {
            int i;
            while ((i = Interlocked.Increment(ref _next) - 1) < to)
            {
                try
                {
                    body(i);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                    Volatile.Write(ref _next, to); // nobody claims more
                    return;
                }
            }
        }

        /// <summary>No helper joins from now on; returns once those inside have left.</summary>
        public void Close()
        {
            Interlocked.Add(ref _state, Closed);
            var spin = new SpinWait();
            while (Volatile.Read(ref _state) != Closed) spin.SpinOnce(); // a helper inside finishes at most its current index
        }

        public void Rethrow() => _failure?.Throw();
    }
}
