using System.Runtime.InteropServices;
using HammingIndex.Codes;
using HammingIndex.Storage;
using Microsoft.Extensions.ObjectPool;

namespace HammingIndex.Search;

/// <summary>
/// Exact search by exhaustive scan over a <see cref="CodeStore"/>: the k nearest codes
/// (<see cref="TopK(ReadOnlySpan{ulong}, int)"/>) and all codes within a radius
/// (<see cref="WithinRadius(ReadOnlySpan{ulong}, int)"/>), one query at a time or batched across cores.
/// Results are ordered by distance, then id; deleted codes are never returned.
/// </summary>
/// <remarks>
/// <para>Threading contract: a searcher holds no per-search state, so any number of searches may run
/// concurrently on one instance (or on several over the same store). A search that runs while one writer
/// appends to the store sees a consistent prefix: the codes appended before it started (never a
/// half-written code). Deletes made during a search may or may not be seen by it. Disposing the store
/// while searches run is safe: running searches finish on memory the store keeps alive until they
/// release it; searches started after the dispose throw <see cref="ObjectDisposedException"/>.</para>
/// <para>Single-query searches run on the calling thread and, after warm-up, allocate nothing in the
/// overloads that write into caller buffers (scratch comes from an object pool). Batches share each pass
/// over the codes among a block of queries and split the store among up to
/// <see cref="ScanOptions.MaxDegreeOfParallelism"/> workers: the calling thread and the process's batch
/// helper threads, one per further core, which join as they arrive and spin for
/// <see cref="ScanOptions.HelperSpin"/> after a batch.</para>
/// </remarks>
public sealed partial class ScanSearcher
{
    private readonly CodeStore _store;
    private readonly CodeLayout _layout;
    private readonly ObjectPool<ScanScratch> _scratch;

    /// <summary>Creates a searcher over <paramref name="store"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> holds an invalid value.</exception>
    /// <exception cref="NotSupportedException">This CPU cannot run the options' kernel path.</exception>
    public ScanSearcher(CodeStore store, ScanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new ScanOptions();
        options.Validate(nameof(options));
        _store = store;
        _layout = store.Layout;
        Options = options;
        _scratch = new DefaultObjectPool<ScanScratch>(new ScanScratch.Policy(options.CodesPerKernelCall), Math.Max(4, 2 * options.MaxDegreeOfParallelism));
    }

    /// <summary>The store searched.</summary>
    public CodeStore Store => _store;

    /// <summary>The options in force.</summary>
    public ScanOptions Options { get; }

    /// <summary>
    /// Writes the <paramref name="k"/> nearest live codes to <paramref name="query"/> into
    /// <paramref name="results"/>, best first (distance, then id), and returns how many were written:
    /// min(k, live codes). Allocation-free after warm-up.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="query"/> is not one code of the store's layout, or <paramref name="results"/> is shorter than k.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not positive.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public int TopK(ReadOnlySpan<ulong> query, int k, Span<Neighbor> results)
    {
        _layout.ValidateCode(query);
        ThrowHelper.CheckResults(k, results.Length);
        StoreMemory memory = _store.AcquireMemory(out long count, out _);
        try
        {
            return TopKCore(query, k, memory, count, results);
        }
        finally
        {
            memory.Release();
        }
    }

    /// <summary>The <paramref name="k"/> nearest live codes to <paramref name="query"/>, best first (distance, then id).</summary>
    /// <exception cref="ArgumentException"><paramref name="query"/> is not one code of the store's layout.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not positive.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public Neighbor[] TopK(ReadOnlySpan<ulong> query, int k)
    {
        _layout.ValidateCode(query);
        ThrowHelper.CheckK(k);
        StoreMemory memory = _store.AcquireMemory(out long count, out _);
        try
        {
            var results = new Neighbor[Math.Min(k, count)];
            int found = TopKCore(query, k, memory, count, results);
            return found == results.Length ? results : results[..found];
        }
        finally
        {
            memory.Release();
        }
    }

    /// <summary>
    /// Appends every live code within <paramref name="radius"/> of <paramref name="query"/> (distance &lt;= radius)
    /// to <paramref name="results"/>, sorted by distance, then id. Allocation-free after warm-up when
    /// <paramref name="results"/> has the capacity.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="results"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="query"/> is not one code of the store's layout.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..bits.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public void WithinRadius(ReadOnlySpan<ulong> query, int radius, List<Neighbor> results)
    {
        _layout.ValidateCode(query);
        ThrowHelper.CheckRadius(radius, _layout.Bits);
        ArgumentNullException.ThrowIfNull(results);
        int start = results.Count;
        StoreMemory memory = _store.AcquireMemory(out long count, out _);
        ScanScratch scratch = _scratch.Get();
        try
        {
            var chunks = new StoreChunks(memory, count, int.MaxValue);
            for (int c = 0; c < chunks.ChunkCount; c++)
                ChunkScan.WithinRadius(query, chunks[c], radius, results, scratch, Options.KernelPath);
        }
        finally
        {
            _scratch.Return(scratch);
            memory.Release();
        }
        CollectionsMarshal.AsSpan(results)[start..].Sort();
    }

    /// <summary>Every live code within <paramref name="radius"/> of <paramref name="query"/> (distance &lt;= radius), sorted by distance, then id.</summary>
    /// <exception cref="ArgumentException"><paramref name="query"/> is not one code of the store's layout.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..bits.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public Neighbor[] WithinRadius(ReadOnlySpan<ulong> query, int radius)
    {
        var results = new List<Neighbor>();
        WithinRadius(query, radius, results);
        return results.ToArray();
    }

    private int TopKCore(ReadOnlySpan<ulong> query, int k, StoreMemory memory, long count, Span<Neighbor> results)
    {
        if (count == 0) return 0;
        ScanScratch scratch = _scratch.Get();
        try
        {
            TopKCollector collector = scratch.Collectors(1, (int)Math.Min(k, count), _layout.Bits)[0];
            var chunks = new StoreChunks(memory, count, int.MaxValue);
            for (int c = 0; c < chunks.ChunkCount; c++)
                ChunkScan.TopK(query, chunks[c], collector, scratch, Options.KernelPath);
            return collector.Drain(results);
        }
        finally
        {
            _scratch.Return(scratch);
        }
    }
}
