using HammingIndex.Codes;
using HammingIndex.Indexing;
using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Tests.MultiIndex;
using HammingIndex.Tests.Storage;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Indexing;

/// <summary>Table rebuilds run beside searches, never inside one: a search issued while a rebuild is held up returns without it.</summary>
public class CodeIndexRebuildTests
{
    private static readonly CodeLayout Layout = new(64);

    /// <summary>Blocks the thread that reports until the gate opens; says when the first report came.</summary>
    private sealed class GatedProgress : IProgress<IndexProgress>, IDisposable
    {
        public ManualResetEventSlim Entered { get; } = new();
        public ManualResetEventSlim Gate { get; } = new();

        public void Report(IndexProgress value)
        {
            Entered.Set();
            Gate.Wait();
        }

        public void Dispose()
        {
            Gate.Set();
            Entered.Dispose();
        }
    }

    private static (CodeIndex Index, IndexModel Model, ulong[] Codes) Populated(CodeIndexOptions options, int count, int seed)
    {
        var index = CodeIndex.CreateInMemory(Layout.Bits, options);
        var model = new IndexModel();
        ulong[] codes = TestCodes.Clustered(new Random(seed), Layout, count, 20, 0.05);
        long[] ids = Enumerable.Range(0, count).Select(i => (long)i).ToArray();
        index.AddRange(codes, ids);
        for (int i = 0; i < count; i++) model.Add(codes.AsSpan(i, 1), i);
        return (index, model, codes);
    }

    [Fact]
    public async Task SearchWhileARebuildIsHeldUpReturnsWithoutWaitingForIt()
    {
        var (index, model, codes) = Populated(new CodeIndexOptions { RebuildInBackground = false }, 3000, 1);
        using var _ = index;
        index.RebuildTables();
        ulong[] more = TestCodes.Clustered(new Random(2), Layout, 500, 20, 0.05);
        index.AddRange(more, Enumerable.Range(3000, 500).Select(i => (long)i).ToArray());
        for (int i = 0; i < 500; i++) model.Add(more.AsSpan(i, 1), 3000 + i);
        Assert.Equal(500, index.DeltaCount);

        using var progress = new GatedProgress();
        Task rebuild = index.RebuildTablesAsync(progress: progress);
        Assert.True(progress.Entered.Wait(TimeSpan.FromMinutes(1)), "the rebuild never started");
        Assert.True(index.RebuildPending);

        // The rebuild is held at the gate: these searches can only finish if they do not wait for it.
        var rng = new Random(3);
        for (int q = 0; q < 20; q++)
        {
            ulong[] query = TestCodes.QueryNear(rng, Layout, codes, 0.05);
            Assert.Equal(model.TopK(query, 10), index.TopK(query, 10).Neighbors);
            Assert.Equal(model.WithinRadius(query, 4), index.WithinRadius(query, 4).Neighbors);
        }
        ulong[] batch = Enumerable.Range(0, 30).SelectMany(_ => TestCodes.QueryNear(rng, Layout, more, 0.05)).ToArray();
        SearchResult[] answers = index.TopKBatch(batch, 5);
        for (int q = 0; q < 30; q++) Assert.Equal(model.TopK(batch.AsSpan(q, 1), 5), answers[q].Neighbors);
        Assert.False(rebuild.IsCompleted);
        Assert.Equal(500, index.DeltaCount); // the old tables and the delta scan answered

        progress.Gate.Set();
        await rebuild.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(0, index.DeltaCount);
        Assert.False(index.RebuildPending);
        ulong[] last = TestCodes.QueryNear(rng, Layout, more, 0.05);
        Assert.Equal(model.TopK(last, 10), index.TopK(last, 10).Neighbors);
    }

    [Fact]
    public async Task SearchDuringACompactionsTableBuildReturnsWithoutWaitingForIt()
    {
        var (index, model, codes) = Populated(new CodeIndexOptions { RebuildInBackground = false }, 3000, 10);
        using var _ = index;
        long[] doomed = Enumerable.Range(0, 3000).Where(i => i % 4 == 0).Select(i => (long)i).ToArray();
        index.DeleteRange(doomed);
        foreach (long id in doomed) model.Delete(id);

        using var progress = new GatedProgress();
        Task compaction = Task.Run(() => index.Compact(progress: progress));
        Assert.True(progress.Entered.Wait(TimeSpan.FromMinutes(1)), "the compaction never reached its table build");

        // The store is compacted (new positions) and its tables are held at the gate: a search that built
        // or waited for tables would hang here; it must answer from the scan at once.
        var rng = new Random(11);
        Task searches = Task.Run(() =>
        {
            for (int q = 0; q < 10; q++)
            {
                ulong[] query = TestCodes.QueryNear(rng, Layout, codes, 0.05);
                Assert.Equal(model.TopK(query, 10), index.TopK(query, 10).Neighbors);
                Assert.Equal(model.WithinRadius(query, 5), index.WithinRadius(query, 5).Neighbors);
            }
        });
        await searches.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(compaction.IsCompleted);
        Assert.Equal(0, index.IndexedCount);

        progress.Gate.Set();
        await compaction.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(model.Count, index.IndexedCount);
    }

    [Fact]
    public void AddsPastTheDeltaLimitRebuildInTheBackground()
    {
        var (index, model, _) = Populated(new CodeIndexOptions { RebuildDelta = 100 }, 50, 4);
        using var __ = index;
        ulong[] more = TestCodes.Uniform(new Random(5), Layout, 200);
        index.AddRange(more, Enumerable.Range(50, 200).Select(i => (long)i).ToArray());
        for (int i = 0; i < 200; i++) model.Add(more.AsSpan(i, 1), 50 + i);
        SpinWait.SpinUntil(() => index.DeltaCount == 0, TimeSpan.FromMinutes(1));
        Assert.Equal(0, index.DeltaCount);
        Assert.Equal(250, index.IndexedCount);
        Assert.Equal(model.TopK(more.AsSpan(7, 1), 4), index.TopK(more.AsSpan(7, 1), 4).Neighbors);
    }

    [Fact]
    public void ACompactionWhoseTableBuildIsCancelledLeavesSearchesExactAndNeverBuildsInThem()
    {
        var (index, model, codes) = Populated(new CodeIndexOptions { RebuildInBackground = false }, 2000, 6);
        using var _ = index;
        long[] doomed = Enumerable.Range(0, 2000).Where(i => i % 3 == 0).Select(i => (long)i).ToArray();
        Assert.Equal(doomed.Length, index.DeleteRange(doomed));
        foreach (long id in doomed) model.Delete(id);

        using var cancel = new CancellationTokenSource();
        var progress = new ListProgress(p => { if (p.Operation == IndexOperation.BuildTables) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => index.Compact(cancel.Token, progress));
        Assert.Contains(progress.Reports, p => p.Operation == IndexOperation.BuildTables);
        Assert.Equal(model.Count, index.Store.Count); // the store was compacted; its tables were not rebuilt
        Assert.Equal(0, index.IndexedCount);

        var rng = new Random(7);
        for (int q = 0; q < 10; q++)
        {
            ulong[] query = TestCodes.QueryNear(rng, Layout, codes, 0.05);
            Assert.Equal(model.TopK(query, 8), index.TopK(query, 8).Neighbors);
            Assert.Equal(model.WithinRadius(query, 3), index.WithinRadius(query, 3).Neighbors);
        }
        Assert.Equal(0, index.IndexedCount); // no search built tables
        index.RebuildTables();
        Assert.Equal(model.Count, index.IndexedCount);
    }

    [Fact]
    public void LongOperationsReportProgressAndObserveTheirToken()
    {
        var (index, model, codes) = Populated(new CodeIndexOptions { RebuildInBackground = false }, 300, 8);
        using var _ = index;
        var tables = new ListProgress();
        index.RebuildTables(progress: tables);
        Assert.Equal(index.Searcher.Index.SubstringCount, tables.Reports.Count);
        Assert.Equal(tables.Reports.Count, tables.Reports.Max(p => p.Done));

        ulong[] queries = Enumerable.Range(0, 2500).SelectMany(i => codes.AsSpan(i % 300, 1).ToArray()).ToArray();
        var batch = new ListProgress();
        SearchResult[] answers = index.TopKBatch(queries, 3, progress: batch);
        Assert.Equal([1024L, 2048, 2500], batch.Reports.Select(p => p.Done));
        Assert.All(batch.Reports, p => Assert.Equal(2500, p.Total));
        Assert.Equal(model.TopK(queries.AsSpan(2499, 1), 3), answers[2499].Neighbors);

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => index.TopKBatch(queries, 3, cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => index.WithinRadiusBatch(queries, 3, cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => index.RebuildTables(cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => index.Compact(cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => index.Verify(cancelled.Token));
        Assert.Equal(300, index.Count);
    }

    [Fact]
    public void VerifyReportsEachBlockAndStopsBetweenBlocksWhenCancelled()
    {
        using var directory = new TempDirectory();
        string path = directory.File("v.hidx");
        var options = new CodeIndexOptions { RebuildInBackground = false, Store = new CodeStoreOptions { BlockCapacity = 1024 } };
        using CodeIndex index = CodeIndex.Create(path, Layout.Bits, options);
        ulong[] codes = TestCodes.Uniform(new Random(13), Layout, 5000);
        index.AddRange(codes, Enumerable.Range(0, 5000).Select(i => (long)i).ToArray());
        index.Flush();

        var all = new ListProgress();
        Assert.Equal(5000, index.Verify(progress: all));
        Assert.Equal([0L, 1, 2, 3, 4, 5], all.Reports.Select(p => p.Done));
        Assert.All(all.Reports, p => Assert.Equal((IndexOperation.Verify, 5L), (p.Operation, p.Total)));

        // Cancelled while the second block is being reached: no further block is checked.
        using var cancel = new CancellationTokenSource();
        var stopped = new ListProgress(p =>
        {
            if (p.Done == 1) cancel.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() => index.Verify(cancel.Token, stopped));
        Assert.Equal([0L, 1], stopped.Reports.Select(p => p.Done));
    }

    [Fact]
    public void TablesAreSavedBesideTheFileAndLoadedAtOpen()
    {
        using var directory = new TempDirectory();
        string path = directory.File("c.hidx");
        ulong[] codes = TestCodes.Uniform(new Random(9), Layout, 400);
        using (CodeIndex index = CodeIndex.Create(path, Layout.Bits, new CodeIndexOptions { RebuildInBackground = false }))
        {
            index.AddRange(codes, Enumerable.Range(0, 400).Select(i => (long)i).ToArray());
            index.RebuildTables();
        }
        Assert.True(File.Exists(path + ".mih"));
        DateTime saved = File.GetLastWriteTimeUtc(path + ".mih");
        using (CodeIndex reopened = CodeIndex.OpenReadOnly(path))
        {
            Assert.Equal(400, reopened.IndexedCount); // loaded, not rebuilt: nothing was delta
            Assert.Equal(new Neighbor(17, 0), reopened.TopK(codes.AsSpan(17, 1), 1).Neighbors[0]);
            Assert.Throws<InvalidOperationException>(() => reopened.Add(codes.AsSpan(0, 1), 1000));
            Assert.Throws<InvalidOperationException>(() => reopened.Delete(3));
            Assert.Throws<InvalidOperationException>(() => reopened.Flush());
            Assert.Throws<InvalidOperationException>(() => reopened.Compact());
            Assert.Throws<InvalidOperationException>(() => reopened.RebuildTables());
        }
        Assert.Equal(saved, File.GetLastWriteTimeUtc(path + ".mih"));
    }

    [Fact]
    public void ABackgroundRebuildThatCannotSaveItsTablesIsReportedAndLosesNothing()
    {
        using var directory = new TempDirectory();
        string path = directory.File("c.hidx");
        ulong[] codes = TestCodes.Uniform(new Random(12), Layout, 300);
        using CodeIndex index = CodeIndex.Create(path, Layout.Bits, new CodeIndexOptions { RebuildInBackground = false });
        index.AddRange(codes, Enumerable.Range(0, 300).Select(i => (long)i).ToArray());
        File.Delete(path + ".mih");
        Directory.CreateDirectory(path + ".mih"); // the tables cannot be written there
        Assert.Null(index.BackgroundError);
        Task rebuild = index.RebuildTablesAsync();
        Assert.ThrowsAny<Exception>(() => rebuild.GetAwaiter().GetResult());
        SpinWait.SpinUntil(() => index.BackgroundError is not null, TimeSpan.FromMinutes(1));
        Assert.IsAssignableFrom<IOException>(index.BackgroundError);
        Assert.Equal(300, index.IndexedCount); // published before the save failed
        Assert.Equal(new Neighbor(123, 0), index.TopK(codes.AsSpan(123, 1), 1).Neighbors[0]);
        Directory.Delete(path + ".mih");
    }

    /// <summary>Collects reports on the reporting thread (and runs an optional action on each).</summary>
    private sealed class ListProgress(Action<IndexProgress>? onReport = null) : IProgress<IndexProgress>
    {
        private readonly List<IndexProgress> _reports = [];

        public IReadOnlyList<IndexProgress> Reports
        {
            get
            {
                lock (_reports) return [.. _reports];
            }
        }

        public void Report(IndexProgress value)
        {
            lock (_reports) _reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
