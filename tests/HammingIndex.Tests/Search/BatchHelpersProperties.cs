using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HammingIndex.Search;

namespace HammingIndex.Tests.Search;

/// <summary>
/// The batch helpers hand out every index exactly once, return only when no helper still works on the
/// batch, carry a body's exception back to the caller, whether helpers join or not, and take the
/// items of a stopped thread away from it.
/// </summary>
public class BatchHelpersProperties
{
    private static readonly Gen<(int From, int Count, int Helpers, bool Signal, int Seed)> Cases =
        from first in Gen.Choose(-5, 5)
        from count in Gen.OneOf(Gen.Choose(0, 3), Gen.Choose(4, 400))
        from helpers in Gen.Choose(-1, 3)
        from signal in ArbMap.Default.GeneratorFor<bool>()
        from seed in ArbMap.Default.GeneratorFor<int>()
        select (first, count, helpers, signal, seed);

    [Property(MaxTest = 60)]
    public Property EveryIndexRunsOnceAndNothingRunsAfterTheReturn() => Prop.ForAll(Cases.ToArbitrary(), c =>
    {
        var runs = new int[c.Count];
        int inside = 0, afterReturn = 0;
        bool returned = false;
        var threads = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        BatchHelpers.For(c.From, c.From + c.Count, c.Helpers, c.Signal, TimeSpan.FromMilliseconds(c.Seed & 3), share =>
        {
            Interlocked.Increment(ref inside);
            if (Volatile.Read(ref returned)) Interlocked.Increment(ref afterReturn);
            threads[Environment.CurrentManagedThreadId] = true;
            while (share.TryTake(out int i))
            {
                Assert.True(i >= c.From && i < c.From + c.Count, $"item {i} outside {c.From}..{c.From + c.Count}");
                Interlocked.Increment(ref runs[i - c.From]);
                if ((i ^ c.Seed) % 7 == 0) Thread.SpinWait(2000); // uneven items, so threads steal from one another
            }
            Interlocked.Decrement(ref inside);
        });
        Volatile.Write(ref returned, true);
        Assert.Equal(0, Volatile.Read(ref inside));
        Assert.All(runs, r => Assert.Equal(1, r));
        if (c.Helpers <= 0) Assert.Single(threads.Keys.Append(Environment.CurrentManagedThreadId).Distinct());
        Thread.SpinWait(20_000);
        Assert.Equal(0, Volatile.Read(ref afterReturn));
    });

    [Fact]
    public void ABodysExceptionReachesTheCallerAndStopsTheClaims()
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            int ran = 0, inside = 0;
            var thrown = Assert.Throws<InvalidOperationException>(() => BatchHelpers.For(0, 10_000, 3, signal: true, TimeSpan.FromMilliseconds(1), share =>
            {
                Interlocked.Increment(ref inside);
                try
                {
                    while (share.TryTake(out int i))
                    {
                        Interlocked.Increment(ref ran);
                        Thread.SpinWait(200);
                        if (i == 50) throw new InvalidOperationException($"item {i}");
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref inside);
                }
            }));
            Assert.Equal("item 50", thrown.Message);
            Assert.Equal(0, Volatile.Read(ref inside));
            // Item 50 is among the caller's first (helpers take from the back): the items taken by then
            // finish, nothing more is taken.
            Assert.True(ran < 10_000, $"{ran} items ran after item 50 failed");
        }
    }

    [Fact]
    public void CallersOnSeveralThreadsEachGetTheirWholeBatch()
    {
        const int callers = 4, items = 3_000;
        var runs = new int[callers, items];
        Parallel.For(0, callers, new ParallelOptions { MaxDegreeOfParallelism = callers }, caller =>
        {
            for (int round = 0; round < 5; round++)
                BatchHelpers.For(0, items, BatchHelpers.Count, signal: true, TimeSpan.FromMilliseconds(round), share =>
                {
                    while (share.TryTake(out int i)) Interlocked.Increment(ref runs[caller, i]);
                });
        });
        for (int caller = 0; caller < callers; caller++)
            for (int i = 0; i < items; i++) Assert.Equal(5, runs[caller, i]);
    }

    [Fact]
    public void AHelperJoinsABatchThatOutlastsItsWakeUp()
    {
        if (BatchHelpers.Count == 0) return; // one core: no helper to join
        // Items that each wait for a second thread: the batch finishes only once a helper has joined.
        var threads = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        int done = 0;
        BatchHelpers.For(0, 2, 1, signal: true, TimeSpan.Zero, share =>
        {
            if (!share.TryTake(out _)) return;
            threads[Environment.CurrentManagedThreadId] = true;
            Interlocked.Increment(ref done);
            var spin = new SpinWait();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Volatile.Read(ref done) < 2 && DateTime.UtcNow < deadline) spin.SpinOnce();
            Assert.False(share.TryTake(out int extra), $"item {extra} after both were taken"); // two items, one a thread
        });
        Assert.Equal(2, threads.Count);
    }

    [Fact]
    public void AThreadStoppedMidBatchHoldsBackOnlyTheItemItIsOn()
    {
        if (BatchHelpers.Count == 0) return; // one core: no helper to stop
        // A helper that joins stops on its first item until every other item is done. Unless its
        // other items are taken from it, the batch cannot finish before the deadline.
        const int items = 400;
        int joinedAndStopped = 0;
        for (int attempt = 0; attempt < 20 && joinedAndStopped < 3; attempt++)
        {
            int caller = Environment.CurrentManagedThreadId, done = 0, stopped = 0;
            bool timedOut = false;
            BatchHelpers.For(0, items, 1, signal: true, TimeSpan.FromMilliseconds(5), share =>
            {
                bool helper = Environment.CurrentManagedThreadId != caller;
                while (share.TryTake(out _))
                {
                    if (helper && Interlocked.Exchange(ref stopped, 1) == 0)
                    {
                        var deadline = DateTime.UtcNow.AddSeconds(20);
                        var spin = new SpinWait();
                        while (Volatile.Read(ref done) < items - 1 && DateTime.UtcNow < deadline) spin.SpinOnce(sleep1Threshold: -1);
                        timedOut = Volatile.Read(ref done) < items - 1;
                    }
                    else Thread.SpinWait(5_000); // long enough items that a woken helper arrives mid-batch
                    Interlocked.Increment(ref done);
                }
            });
            Assert.Equal(items, done);
            Assert.False(timedOut, "the stopped helper's items were never taken from it");
            joinedAndStopped += stopped;
        }
        Assert.True(joinedAndStopped > 0, "no helper joined in 20 batches");
    }
}
