using System.Buffers;
using HammingIndex.Storage;

namespace HammingIndex.Search;

public sealed partial class ScanSearcher
{
    /// <summary>
    /// Top-<paramref name="k"/> search for every query of <paramref name="queries"/> (consecutive codes of
    /// the store's layout) in one shared pass per query block, across cores. Query q's neighbors go to
    /// <c>results[q*k .. q*k + counts[q])</c>, best first. Allocates only the parallel loop's
    /// bookkeeping, never per query or per result.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="queries"/> is not whole codes with zero padding, or a buffer is too short
    /// (<paramref name="results"/> needs queries*k entries, <paramref name="counts"/> one per query).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not positive.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public void TopKBatch(ReadOnlySpan<ulong> queries, int k, Span<Neighbor> results, Span<int> counts)
    {
        int queryCount = _layout.ValidateCodes(queries);
        ThrowHelper.CheckBatchBuffers(queryCount, k, results.Length, counts.Length);
        StoreMemory memory = _store.AcquireMemory(out long count, out _);
        try
        {
            RunBatch(queries, queryCount, memory, count, k, -1, results, k, counts, null);
        }
        finally
        {
            memory.Release();
        }
    }

    /// <summary>Top-<paramref name="k"/> search for every query of <paramref name="queries"/>, batched across cores; entry q holds query q's neighbors, best first.</summary>
    /// <exception cref="ArgumentException"><paramref name="queries"/> is not whole codes of the store's layout with zero padding.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not positive.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public Neighbor[][] TopKBatch(ReadOnlySpan<ulong> queries, int k)
    {
        int queryCount = _layout.ValidateCodes(queries);
        ThrowHelper.CheckK(k);
        StoreMemory memory = _store.AcquireMemory(out long count, out _);
        Neighbor[]? flat = null;
        try
        {
            int stride = (int)Math.Min(k, count);
            // Rented: a batch's flat buffer is usually past the large-object threshold (1,000 queries of
            // 100-NN: 1.6 MB), and one allocated per batch started a gen-2 collection every few batches.
            flat = RentNeighbors((long)queryCount * stride);
            var counts = new int[queryCount];
            RunBatch(queries, queryCount, memory, count, k, -1, flat, stride, counts, null);
            var results = new Neighbor[queryCount][];
            for (int q = 0; q < queryCount; q++) results[q] = flat.AsSpan(q * stride, counts[q]).ToArray();
            return results;
        }
        finally
        {
            if (flat is not null) ArrayPool<Neighbor>.Shared.Return(flat);
            memory.Release();
        }
    }

    /// <summary>
    /// Radius search for every query of <paramref name="queries"/>, batched across cores: entry q holds every
    /// live code within <paramref name="radius"/> of query q (distance &lt;= radius), sorted by distance, then id.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="queries"/> is not whole codes of the store's layout with zero padding.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..bits.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public Neighbor[][] WithinRadiusBatch(ReadOnlySpan<ulong> queries, int radius)
    {
        int queryCount = _layout.ValidateCodes(queries);
        ThrowHelper.CheckRadius(radius, _layout.Bits);
        var results = new Neighbor[queryCount][];
        StoreMemory memory = _store.AcquireMemory(out long count, out _);
        try
        {
            RunBatch(queries, queryCount, memory, count, 0, radius, default, 0, default, results);
        }
        finally
        {
            memory.Release();
        }
        return results;
    }

    /// <summary>
    /// A buffer of at least <paramref name="length"/> neighbors from the shared pool (return it there); a
    /// length past <see cref="Array.MaxLength"/> throws as allocating it would.
    /// </summary>
    internal static Neighbor[] RentNeighbors(long length) =>
        length <= Array.MaxLength ? ArrayPool<Neighbor>.Shared.Rent((int)length) : new Neighbor[length];

    /// <summary>Runs the queries block by block; each block is one parallel pass over the store's chunks.</summary>
    private unsafe void RunBatch(ReadOnlySpan<ulong> queries, int queryCount, StoreMemory memory, long count, int k, int radius,
        Span<Neighbor> topResults, int stride, Span<int> topCounts, Neighbor[][]? radiusResults)
    {
        int words = _layout.WordsPerCode;
        var chunks = new StoreChunks(memory, count, Options.ChunkBytes);
        int workers = Math.Max(1, Math.Min(Options.MaxDegreeOfParallelism, chunks.ChunkCount));
        int kEff = (int)Math.Min(k, Math.Max(count, 1));
        fixed (ulong* all = queries)
        {
            for (int q0 = 0; q0 < queryCount; q0 += Options.QueryBlockSize)
            {
                int blockSize = Math.Min(Options.QueryBlockSize, queryCount - q0);
                var job = new BatchScan(chunks, all + (long)q0 * words, words, blockSize, kEff, radius, _layout.Bits, Options.KernelPath, workers, _scratch);
                try
                {
                    // Worker w is item w: the caller starts with all of them, and a helper that arrives takes
                    // the back half of those left (each claims chunks until none is left). The helpers are the
                    // front door's too, so a door batch after a scanned one finds them spinning, where the
                    // thread pool's workers Parallel.For leaves spinning made Linux wake the next batch's
                    // helper onto the caller's CPU (bench/README.md, seventeenth and eighteenth sessions).
                    if (workers == 1) job.RunWorker(0);
                    else BatchHelpers.For(0, workers, workers - 1, signal: true, Options.HelperSpin, share =>
                    {
                        while (share.TryTake(out int worker)) job.RunWorker(worker);
                    });
                    if (radiusResults is null) job.DrainTopK(topResults.Slice(q0 * stride), stride, topCounts.Slice(q0));
                    else job.DrainRadius(radiusResults.AsSpan(q0));
                }
                finally
                {
                    job.ReturnScratch();
                }
            }
        }
    }
}
