using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace HammingIndex.Search;

/// <summary>
/// The process's helper threads for batches of independent work items (a batch's table probes, the
/// workers of a batched scan): one per core beyond the first, started on first use. A batch runs on the calling thread
/// from its first item; helpers join as they arrive and take the back half of what is left, and any
/// thread that runs out takes half of the largest share still open (work stealing), so a helper that
/// wakes late costs the caller nothing, a batch never waits for one to start, and a thread stopped
/// mid-batch holds back only the item it is on. The body runs once per thread taking part and pulls
/// its items (<see cref="Share.TryTake"/>), so what it sets up for them (a store pin, a scratch: shared
/// counters that two cores would otherwise pass back and forth item by item) is set up once a thread.
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

    /// <summary>
    /// Batches handed to the helpers, batches a helper joined, wake-up signals sent, and the items of
    /// handed batches that helpers took, of all their items, since the process started (for benchmarks).
    /// </summary>
    public static (long Batches, long Joined, long Signals, long HelperItems, long Items) Counters =>
        (Volatile.Read(ref _batches), Volatile.Read(ref _joined), Volatile.Read(ref _signals), Volatile.Read(ref _helperItems), Volatile.Read(ref _items));

    private static long _batches, _joined, _signals, _helperItems, _items;

    /// <summary>
    /// Runs <paramref name="body"/> on this thread and on up to <paramref name="helpers"/> helper threads
    /// (joining when <paramref name="signal"/> wakes parked ones, or when they are spinning); each call
    /// takes items with <see cref="Share.TryTake"/> until none is left, so every index of
    /// [<paramref name="from"/>, <paramref name="to"/>) is taken exactly once. Returns when every item is
    /// done and no helper still touches the batch; the first exception a body throws stops the taking
    /// (items already taken finish) and is rethrown here.
    /// </summary>
    public static void For(int from, int to, int helpers, bool signal, TimeSpan spin, Action<Share> body)
    {
        helpers = to - from <= 1 ? 0 : Math.Max(0, Math.Min(helpers, Count));
        var job = new Job(from, to, helpers, (long)(spin.TotalSeconds * Stopwatch.Frequency), body);
        int slot = helpers > 0 ? Publish(job, signal) : -1; // a batch no helper may join is not published
        job.Run(0);
        if (slot >= 0) Volatile.Write(ref Open[slot], null);
        job.Close(); // no helper inside an unpublished batch: returns at once
        job.Rethrow();
    }

    /// <summary>
    /// One thread's part in a batch: its own run of consecutive items, taken from the front one at a
    /// time; when that is empty, the back half of the largest other thread's run becomes its own.
    /// </summary>
    public readonly struct Share
    {
        private readonly Job _job;
        private readonly int _slot;

        internal Share(Job job, int slot)
        {
            _job = job;
            _slot = slot;
        }

        /// <summary>The next item for this thread; false once no thread has an item left (or a body failed).</summary>
        public bool TryTake(out int item) => _job.TryTake(_slot, out item);
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

    /// <summary>
    /// One batch: a run of items per thread taking part (slot 0 the caller's, which starts with them all),
    /// and who is inside.
    /// </summary>
    /// <remarks>
    /// Each run is one 64-bit word (next item in the low half, end in the high half) on cache lines of its
    /// own: its owner takes from the front with a compare-and-swap on a line no other core touches
    /// until it steals, and a thread whose run is empty takes the back half of the largest run by one
    /// compare-and-swap on that run. A helper that wakes late takes half of what the caller has not
    /// reached; a thread stopped mid-batch (a descheduled virtual CPU) holds only the item it is on,
    /// since the others take its run away from it; and neighbouring items stay on one thread (the items of
    /// a batch write neighbouring entries of shared arrays). A run's value never repeats (its next item
    /// is taken once), so a compare-and-swap cannot succeed on a stale copy.
    /// </remarks>
    internal sealed class Job
    {
        private const int Closed = 1 << 30;
        /// <summary>Run s is <c>_runs[s]</c>, on lines of its own.</summary>
        private readonly PaddedCells _runs;
        /// <summary>Items each slot took (<c>_taken[s]</c>, written by its owner only).</summary>
        private readonly PaddedCells _taken;

        /// <summary>Helper slots taken (1..maxHelpers; slot 0 is the caller's).</summary>
        private readonly int[] _owners;
        private readonly int _maxHelpers;
        private readonly Action<Share> _body;
        /// <summary>Helpers inside the batch, plus <see cref="Closed"/> once the caller has found no item left.</summary>
        private int _state;
        private ExceptionDispatchInfo? _failure;
        private volatile bool _failed;

        public Job(int from, int to, int maxHelpers, long spinTicks, Action<Share> body)
        {
            _maxHelpers = maxHelpers;
            _body = body;
            SpinTicks = spinTicks;
            _runs = new PaddedCells(maxHelpers + 1);
            _taken = new PaddedCells(maxHelpers + 1);
            _owners = new int[maxHelpers + 1];
            if (to > from) _runs[0] = Pack(from, to);
        }

        public int MaxHelpers => _maxHelpers;

        /// <summary>Stopwatch ticks a helper spins for the next batch after this one.</summary>
        public long SpinTicks { get; }

        private static long Pack(int next, int end) => (uint)next | ((long)end << 32);

        private static int Left(long run) => (int)(run >> 32) - (int)run;

        private bool AnyLeft()
        {
            for (int slot = 0; slot <= _maxHelpers; slot++)
                if (Left(Volatile.Read(ref _runs[slot])) > 0) return true;
            return false;
        }

        /// <summary>A helper joins unless the batch is closed, has its helpers or has no items left: whether it did.</summary>
        public bool Join()
        {
            while (true)
            {
                if (_failed || !AnyLeft()) return false;
                int state = Volatile.Read(ref _state);
                if (state >= _maxHelpers) return false; // closed (the flag dwarfs any count) or full
                if (Interlocked.CompareExchange(ref _state, state + 1, state) == state) break;
            }
            int slot = 1;
            while (Interlocked.CompareExchange(ref _owners[slot], 1, 0) != 0) slot++; // at most maxHelpers inside: one is free
            if (AnyLeft()) Interlocked.Increment(ref _joined);
            try
            {
                Run(slot);
            }
            finally
            {
                Volatile.Write(ref _owners[slot], 0);
                Interlocked.Decrement(ref _state);
            }
            return true;
        }

        /// <summary>Runs the body for <paramref name="slot"/>; its exception stops every thread's taking.</summary>
        public void Run(int slot)
        {
            try
            {
                _body(new Share(this, slot));
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
                _failed = true;
            }
        }

        public bool TryTake(int slot, out int item)
        {
            ref long own = ref _runs[slot];
            while (!_failed)
            {
                long run = Volatile.Read(ref own);
                int next = (int)run, end = (int)(run >> 32);
                if (next < end)
                {
                    if (Interlocked.CompareExchange(ref own, Pack(next + 1, end), run) == run)
                    {
                        _taken[slot]++;
                        item = next;
                        return true;
                    }
                    continue; // a thief took the back meanwhile
                }
                if (!Steal(ref own)) break;
            }
            item = 0;
            return false;
        }

        /// <summary>Moves the back half of the largest run into <paramref name="own"/> (empty): false when every run is empty.</summary>
        private bool Steal(ref long own)
        {
            while (true)
            {
                int victim = -1, most = 0;
                long seen = 0;
                for (int slot = 0; slot <= _maxHelpers; slot++)
                {
                    long run = Volatile.Read(ref _runs[slot]);
                    if (Left(run) <= most) continue;
                    (victim, most, seen) = (slot, Left(run), run);
                }
                if (victim < 0) return false;
                int next = (int)seen, end = (int)(seen >> 32), take = (most + 1) / 2;
                if (Interlocked.CompareExchange(ref _runs[victim], Pack(next, end - take), seen) != seen) continue;
                Volatile.Write(ref own, Pack(end - take, end));
                return true;
            }
        }

        /// <summary>No helper joins from now on; returns once those inside have left (after the items they hold).</summary>
        /// <remarks>
        /// The wait spins and yields for its first millisecond and only then sleeps. A helper inside holds
        /// the item it is on, mostly microseconds, and <see cref="SpinWait.SpinOnce()"/>'s default turns to
        /// <c>Thread.Sleep(1)</c> after about 20 rounds (10–20 µs here), which on Linux returns after a
        /// millisecond or more: a 1M 256-bit radius batch of 1.2 ms whose caller finished 17 µs before its
        /// helper took 2.3 ms (2 of 12 batches in <c>batch-trace</c>; bench/README.md, thirteenth session).
        /// An item that runs past a millisecond (a group of 10M k-NN queries) is long enough that a sleep's
        /// overshoot costs little, and the caller then stops taking a core from it.
        /// </remarks>
        public void Close()
        {
            Interlocked.Add(ref _state, Closed);
            var spin = new SpinWait();
            long sleepFrom = 0;
            while (Volatile.Read(ref _state) != Closed) // a helper inside finishes the items it took
            {
                long now = Stopwatch.GetTimestamp();
                if (sleepFrom == 0) sleepFrom = now + Stopwatch.Frequency / 1000;
                if (now < sleepFrom) spin.SpinOnce(sleep1Threshold: -1);
                else Thread.Sleep(1);
            }
            if (_maxHelpers == 0) return; // not handed to the helpers
            long helpers = 0, all = _taken[0];
            for (int slot = 1; slot <= _maxHelpers; slot++) helpers += _taken[slot];
            Interlocked.Add(ref _helperItems, helpers);
            Interlocked.Add(ref _items, all + helpers);
        }

        public void Rethrow() => _failure?.Throw();
    }
}
