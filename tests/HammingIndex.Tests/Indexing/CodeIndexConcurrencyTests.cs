using HammingIndex.Codes;
using HammingIndex.Indexing;
using HammingIndex.Search;
using HammingIndex.Tests.MultiIndex;

namespace HammingIndex.Tests.Indexing;

/// <summary>Searches racing one writer and the background rebuilds it starts always find what was added before them.</summary>
public class CodeIndexConcurrencyTests
{
    [Fact]
    public async Task SearchesRacingAddsAndBackgroundRebuildsFindEveryCodeAddedBeforeThem()
    {
        var layout = new CodeLayout(64);
        const int Total = 20_000, Batch = 100;
        ulong[] codes = TestCodes.Uniform(new Random(1), layout, Total);
        using var index = CodeIndex.CreateInMemory(64, new CodeIndexOptions { RebuildDelta = 500 });
        long published = 0; // codes [0, published) are in the index
        Task writer = Task.Run(() =>
        {
            for (int first = 0; first < Total; first += Batch)
            {
                index.AddRange(codes.AsSpan(first, Batch), Enumerable.Range(first, Batch).Select(i => (long)i).ToArray());
                Volatile.Write(ref published, first + Batch);
            }
        });
        Task[] readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            var rng = new Random(10 + r);
            var buffer = new Neighbor[3];
            int checkedCodes = 0;
            while (checkedCodes < 3000)
            {
                long n = Volatile.Read(ref published);
                if (n == 0) continue;
                int i = rng.Next((int)n);
                ReadOnlySpan<ulong> query = codes.AsSpan(i, 1);
                Assert.Equal(new Neighbor(i, 0), index.TopK(query, 1).Neighbors[0]);
                Assert.Contains(new Neighbor(i, 0), index.WithinRadius(query, 0).Neighbors);
                Assert.Equal(3, index.TopK(query, 3, buffer));
                Assert.Equal(new Neighbor(i, 0), buffer[0]);
                checkedCodes++;
            }
        })).ToArray();
        await Task.WhenAll([writer, .. readers]).WaitAsync(TimeSpan.FromMinutes(3));
        SpinWait.SpinUntil(() => !index.RebuildPending, TimeSpan.FromMinutes(1));
        index.RebuildTables();
        Assert.Equal(Total, index.IndexedCount);
        Assert.Equal(Total, index.Count);
    }

    [Fact]
    public void ADisposedIndexRefusesEveryCall()
    {
        var index = CodeIndex.CreateInMemory(64);
        index.Add([5UL], 1);
        index.Dispose();
        index.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => index.TopK([5UL], 1));
        Assert.Throws<ObjectDisposedException>(() => index.WithinRadius([5UL], 1));
        Assert.Throws<ObjectDisposedException>(() => index.Add([6UL], 2));
        Assert.Throws<ObjectDisposedException>(() => index.Delete(1));
        Assert.Throws<ObjectDisposedException>(() => index.Contains(1));
        Assert.Throws<ObjectDisposedException>(() => { _ = index.RebuildTablesAsync(); }); // refused at the call, not in the task
    }
}
