using HammingIndex.CrashWriter;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Storage;

/// <summary>
/// The threading contract on both backings: readers that run while codes are appended see a consistent
/// prefix (every visible code fully written); dispose and compaction while readers run are safe.
/// </summary>
public class StoreThreadingTests
{
    private const int Bits = 130;
    private const int Capacity = 64; // many blocks: readers race the growth of the file and its views

    private static CodeStore NewStore(TempDirectory dir, bool file) => file
        ? CodeStore.Create(dir.File("t.hix"), Bits, new CodeStoreOptions { BlockCapacity = Capacity })
        : CodeStore.CreateInMemory(Bits, new CodeStoreOptions { BlockCapacity = Capacity });

    /// <summary>Reads every visible position; returns the count seen. Each code must be the workload's code for its id, and id = position.</summary>
    private static long ReadAll(CodeStore store, long atLeast)
    {
        using CodeStoreSnapshot snapshot = store.AcquireSnapshot();
        Assert.True(snapshot.Count >= atLeast, $"a later snapshot saw {snapshot.Count} codes after one saw {atLeast}");
        int words = store.Layout.WordsPerCode;
        for (int b = 0; b < snapshot.BlockCount; b++)
        {
            CodeBlock block = snapshot.GetBlock(b);
            for (int i = 0; i < block.Count; i++)
            {
                long position = block.FirstPosition + i;
                Assert.Equal(position, block.Ids[i]);
                if (!CrashWorkload.CodeFor(store.Layout, position).AsSpan().SequenceEqual(block.Codes.Slice(i * words, words)))
                    Assert.Fail($"position {position} of {snapshot.Count}: half-written or wrong code");
            }
        }
        return snapshot.Count;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadersDuringAppendsSeeAFullyWrittenPrefix(bool file)
    {
        using var dir = new TempDirectory();
        using CodeStore store = NewStore(dir, file);
        const int total = 3000;
        using var done = new CancellationTokenSource();
        int reads = 0;
        using var readers = new ReaderThreads(2, () =>
        {
            long seen = 0;
            while (!done.IsCancellationRequested)
            {
                seen = ReadAll(store, seen);
                Interlocked.Increment(ref reads);
            }
        });
        for (long s = 0; s < total; s++)
        {
            store.Append(CrashWorkload.CodeFor(store.Layout, s), s);
            if (s % 500 != 499) continue;
            store.Flush();
            // In memory the appends can outrun thread start-up on a busy machine: let the readers
            // finish a read at each checkpoint, so reads really interleave with the appends.
            int before = Volatile.Read(ref reads);
            if (!SpinWait.SpinUntil(() => Volatile.Read(ref reads) > before, TimeSpan.FromSeconds(30)))
            {
                done.Cancel();
                readers.JoinAndRethrow(); // a reader that failed stops reading: report its failure
                Assert.Fail("the readers made no progress");
            }
        }
        done.Cancel();
        readers.JoinAndRethrow();
        Assert.True(reads >= total / 500);
        Assert.Equal(total, ReadAll(store, total));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DisposeWhileReadersRunEndsThemWithObjectDisposedOrSuccess(bool file)
    {
        using var dir = new TempDirectory();
        CodeStore store = NewStore(dir, file);
        for (long s = 0; s < 1000; s++) store.Append(CrashWorkload.CodeFor(store.Layout, s), s);
        int finishedReads = 0;
        using var started = new CountdownEvent(2);
        using var readers = new ReaderThreads(2, () =>
        {
            started.Signal();
            while (true)
            {
                try
                {
                    ReadAll(store, 1000); // a snapshot taken before dispose keeps reading its pinned mapping
                    Interlocked.Increment(ref finishedReads);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
            }
        });
        started.Wait();
        // Dispose once the readers are demonstrably reading (a fixed sleep was not enough on a busy machine).
        SpinWait.SpinUntil(() => Volatile.Read(ref finishedReads) >= 4, TimeSpan.FromSeconds(30));
        store.Dispose();
        readers.JoinAndRethrow();
        Assert.True(finishedReads > 0);
        Assert.Throws<ObjectDisposedException>(() => store.AcquireSnapshot());
        Assert.Throws<ObjectDisposedException>(() => store.Append(CrashWorkload.CodeFor(store.Layout, 0), 0));
        if (file)
        {
            using CodeStore reopened = CodeStore.Open(dir.File("t.hix")); // the lock went with the last reader
            Assert.Equal(1000, ReadAll(reopened, 1000));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ASnapshotTakenBeforeCompactionKeepsReadingTheOldGeneration(bool file)
    {
        using var dir = new TempDirectory();
        using CodeStore store = NewStore(dir, file);
        for (long s = 0; s < 300; s++) store.Append(CrashWorkload.CodeFor(store.Layout, s), s);
        using CodeStoreSnapshot before = store.AcquireSnapshot();
        for (long s = 0; s < 300; s += 3) store.Delete(s);
        store.Compact();
        Assert.Equal(1, store.Generation);
        Assert.Equal(200, store.Count);
        Assert.Equal(0, before.Generation);
        for (long p = 0; p < 300; p++)
        {
            Assert.Equal(p, before.GetId(p));
            Assert.True(CrashWorkload.CodeFor(store.Layout, p).AsSpan().SequenceEqual(before.GetCode(p)));
        }
        using CodeStoreSnapshot after = store.AcquireSnapshot();
        for (long p = 0; p < 200; p++)
        {
            long id = after.GetId(p);
            Assert.NotEqual(0, id % 3);
            Assert.False(after.IsDeleted(p));
            Assert.True(CrashWorkload.CodeFor(store.Layout, id).AsSpan().SequenceEqual(after.GetCode(p)));
        }
    }

    /// <summary>Threads running one body; the first exception a thread throws is rethrown on join.</summary>
    private sealed class ReaderThreads : IDisposable
    {
        private readonly Thread[] _threads;
        private readonly System.Collections.Concurrent.ConcurrentQueue<Exception> _errors = new();

        public ReaderThreads(int count, Action body)
        {
            _threads = Enumerable.Range(0, count).Select(_ => new Thread(() =>
            {
                try
                {
                    body();
                }
                catch (Exception e)
                {
                    _errors.Enqueue(e);
                }
            }) { IsBackground = true }).ToArray();
            foreach (Thread t in _threads) t.Start();
        }

        public void JoinAndRethrow()
        {
            foreach (Thread t in _threads) Assert.True(t.Join(TimeSpan.FromSeconds(60)), "a reader thread did not finish");
            if (_errors.TryPeek(out Exception? e)) throw new Xunit.Sdk.XunitException($"a reader failed: {e}");
        }

        public void Dispose()
        {
            foreach (Thread t in _threads) t.Join(TimeSpan.FromSeconds(60));
        }
    }
}
