using HammingIndex.Codes;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Storage;

/// <summary>
/// Readers' pins on store memory (counted in per-processor stripes): the blocks are freed exactly
/// once, only after the owner and every pin have let go, whichever thread releases a pin.
/// </summary>
public class StorePinTests
{
    /// <summary>Memory without blocks that counts how often it was freed.</summary>
    private sealed class CountingMemory() : StoreMemory(new CodeLayout(64), 6)
    {
        public int Freed;

        protected override (nint Codes, nint Ids, bool Verified) AllocateBlock(int block) =>
            throw new NotSupportedException("no blocks in this test");

        protected override void FreeBlocks(ReadOnlySpan<nint> codes, ReadOnlySpan<nint> ids) => Interlocked.Increment(ref Freed);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(4, true)]
    public void TheBlocksGoOnceAfterTheOwnerAndTheLastPin(int threads, bool releaseElsewhere)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var memory = new CountingMemory();
            // Pins taken on one thread are released on another when releaseElsewhere: a release then
            // lands on another processor's stripe than its pin.
            var handedOver = new System.Collections.Concurrent.BlockingCollection<int>();
            int pinned = 0, refused = 0, freedWhilePinned = 0;
            using var ownerGone = new ManualResetEventSlim();
            Exception? failure = null;
            Thread Start(ThreadStart body) => new(() =>
            {
                try
                {
                    body();
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null); // a thread's exception would end the test host
                }
            });
            var readers = Enumerable.Range(0, threads).Select(t => Start(() =>
            {
                for (int i = 0; !ownerGone.IsSet || i % 64 != 0; i++)
                {
                    if (!memory.TryAddRef())
                    {
                        Interlocked.Increment(ref refused);
                        if (ownerGone.IsSet) break;
                        continue;
                    }
                    Interlocked.Increment(ref pinned);
                    Thread.SpinWait(50 + (i * 7 + t) % 200);
                    if (Volatile.Read(ref memory.Freed) != 0) Interlocked.Increment(ref freedWhilePinned);
                    if (releaseElsewhere && (i & 1) == 0) handedOver.Add(t);
                    else memory.Release();
                }
            })).ToArray();
            var releaser = Start(() =>
            {
                foreach (int _ in handedOver.GetConsumingEnumerable())
                {
                    if (Volatile.Read(ref memory.Freed) != 0) Interlocked.Increment(ref freedWhilePinned);
                    memory.Release();
                }
            });
            foreach (Thread thread in readers.Append(releaser)) thread.Start();
            Thread.Sleep(2 + attempt % 5);
            memory.ReleaseOwner();
            ownerGone.Set();
            Assert.False(memory.TryAddRef(), "a pin succeeded after the owner let go");
            foreach (Thread reader in readers) reader.Join();
            handedOver.CompleteAdding();
            releaser.Join();
            Assert.Null(failure);
            Assert.Equal(0, freedWhilePinned);
            Assert.True(pinned > 0, "no reader pinned the memory before the owner let go");
            Assert.Equal(1, memory.Freed);
        }
    }

    [Fact]
    public void TheOwnerLettingGoFreesAtOnceWhenNothingIsPinned()
    {
        var memory = new CountingMemory();
        Assert.True(memory.TryAddRef());
        memory.Release();
        Assert.Equal(0, memory.Freed);
        memory.ReleaseOwner();
        Assert.Equal(1, memory.Freed);
        Assert.False(memory.TryAddRef());
        Assert.Equal(1, memory.Freed);
    }

    [Fact]
    public void MoreReleasesThanPinsAreReportedOnceTheOwnerHasLetGo()
    {
        var memory = new CountingMemory();
        Assert.True(memory.TryAddRef());
        memory.ReleaseOwner();
        Assert.Equal(0, memory.Freed);
        memory.Release();
        Assert.Equal(1, memory.Freed);
        var thrown = Assert.Throws<InvalidOperationException>(memory.Release);
        Assert.Contains("more often than acquired", thrown.Message);
        Assert.Throws<InvalidOperationException>(memory.ReleaseOwner);
        Assert.Equal(1, memory.Freed);
    }
}
