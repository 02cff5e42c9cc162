using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Search;

/// <summary>The threading contract: concurrent searches, searches during appends, dispose during searches.</summary>
public class ScanSearcherConcurrencyTests
{
    private const int Bits = 96;

    /// <summary>The code appended with id <paramref name="id"/>: a function of the id, so a reader can check any result.</summary>
    private static ulong[] CodeOf(long id)
    {
        var rng = new Random((int)id * 7919 + 13);
        return SearchReference.RandomCode(rng, Bits);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SearchesDuringAppendsSeeAConsistentPrefix(bool memoryMapped)
    {
        const int total = 60_000;
        using var dir = new Storage.TempDirectory();
        using CodeStore store = memoryMapped ? CodeStore.Create(dir.File("codes.hix"), Bits) : CodeStore.CreateInMemory(Bits);
        var searcher = new ScanSearcher(store, new ScanOptions { ChunkBytes = 4096, MaxDegreeOfParallelism = 2 });
        using var done = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (int id = 0; id < total;)
            {
                int n = Math.Min(1 + id % 500, total - id);
                store.AppendRange(Enumerable.Range(id, n).SelectMany(i => CodeOf(i)).ToArray(), Enumerable.Range(id, n).Select(i => (long)i).ToArray());
                id += n;
            }
            done.Cancel();
        });
        var readers = Enumerable.Range(0, 3).Select(r => Task.Run(() =>
        {
            var rng = new Random(r);
            int searches = 0;
            while (!done.IsCancellationRequested || searches < 5)
            {
                ulong[] query = SearchReference.RandomCode(rng, Bits);
                long seenBefore = store.Count;
                Neighbor[] top = r == 2 ? searcher.TopKBatch(query.Concat(query).ToArray(), 20)[1] : searcher.TopK(query, 20);
                Neighbor[] near = searcher.WithinRadius(query, 38);
                long seenAfter = store.Count;
                Assert.Equal((int)Math.Min(20, seenBefore), Math.Min(top.Length, (int)seenBefore)); // at least the prefix seen at entry
                foreach (Neighbor[] results in new[] { top, near })
                {
                    Assert.Equal(results.Order().ToArray(), results);
                    foreach (Neighbor n in results)
                    {
                        Assert.InRange(n.Id, 0, seenAfter - 1);
                        Assert.Equal(SearchReference.Distance(query, CodeOf(n.Id)), n.Distance);
                    }
                }
                Assert.All(near, n => Assert.True(n.Distance <= 38));
                searches++;
            }
            return searches;
        })).ToArray();
        await writer;
        await Task.WhenAll(readers);
        Assert.Equal(total, store.Count);
        ulong[] last = CodeOf(total - 1);
        Assert.Equal(SearchReference.TopK(store, last, 5), searcher.TopK(last, 5));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DisposeWhileSearchingFinishesOrThrowsObjectDisposed(bool memoryMapped)
    {
        using var dir = new Storage.TempDirectory();
        CodeStore store = memoryMapped ? CodeStore.Create(dir.File("codes.hix"), Bits) : CodeStore.CreateInMemory(Bits);
        store.AppendRange(Enumerable.Range(0, 200_000).SelectMany(i => CodeOf(i % 5000)).ToArray(), Enumerable.Range(0, 200_000).Select(i => (long)i).ToArray());
        var searcher = new ScanSearcher(store);
        ulong[] query = CodeOf(42);
        Neighbor[] expected = searcher.TopK(query, 3);
        Assert.Equal(SearchReference.TopK(store, query, 3), expected);
        int completed = 0, refused = 0;
        var tasks = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                try
                {
                    Assert.Equal(expected, i % 2 == 0 ? searcher.TopK(query, 3) : searcher.TopKBatch(query, 3)[0]);
                    Interlocked.Increment(ref completed);
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        })).ToArray();
        await Task.Delay(20);
        store.Dispose();
        await Task.WhenAll(tasks);
        Assert.Equal(200, completed + refused);
        Assert.Throws<ObjectDisposedException>(() => searcher.TopK(query, 3));
    }
}
