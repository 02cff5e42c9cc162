using HammingIndex.Kernels;
using Microsoft.Extensions.ObjectPool;

namespace HammingIndex.Search;

/// <summary>
/// One parallel pass of a block of queries over a store: each worker takes the next unclaimed chunk
/// (sized to stay in L2), runs every query of the block over it, and keeps per-query results of its
/// own (a top-k collector or a hit list); the results are merged per query at the end.
/// </summary>
internal sealed unsafe class BatchScan
{
    private readonly StoreChunks _chunks;
    private readonly ulong* _queries;
    private readonly int _words;
    private readonly int _queryCount;
    private readonly int _k;
    private readonly int _radius;
    private readonly int _bits;
    private readonly KernelPath _path;
    private readonly ObjectPool<ScanScratch> _pool;
    private readonly ScanScratch?[] _scratch;
    private readonly List<Neighbor>[]?[] _hits;
    private int _nextChunk = -1;

    /// <summary>A pass of <c>queryCount</c> queries at <c>queries</c>; <c>radius</c> &lt; 0 means a top-k search.</summary>
    public BatchScan(StoreChunks chunks, ulong* queries, int words, int queryCount, int k, int radius, int bits, KernelPath path, int workers, ObjectPool<ScanScratch> pool)
    {
        _chunks = chunks;
        _queries = queries;
        _words = words;
        _queryCount = queryCount;
        _k = k;
        _radius = radius;
        _bits = bits;
        _path = path;
        _pool = pool;
        _scratch = new ScanScratch?[workers];
        _hits = new List<Neighbor>[]?[workers];
    }

    private ReadOnlySpan<ulong> Query(int q) => new(_queries + (long)q * _words, _words);

    /// <summary>Worker <paramref name="worker"/>: claims chunks until none is left.</summary>
    public void RunWorker(int worker)
    {
        ScanScratch scratch = _scratch[worker] = _pool.Get();
        bool topK = _radius < 0;
        TopKCollector[] collectors = topK ? scratch.Collectors(_queryCount, _k, _bits) : [];
        List<Neighbor>[]? hits = null;
        if (!topK)
        {
            hits = _hits[worker] = new List<Neighbor>[_queryCount];
            for (int q = 0; q < _queryCount; q++) hits[q] = new List<Neighbor>();
        }
        int chunk;
        while ((chunk = Interlocked.Increment(ref _nextChunk)) < _chunks.ChunkCount)
        {
            StoreChunk codes = _chunks[chunk];
            for (int q = 0; q < _queryCount; q++)
            {
                if (topK) ChunkScan.TopK(Query(q), codes, collectors[q], scratch, _path);
                else ChunkScan.WithinRadius(Query(q), codes, _radius, hits![q], scratch, _path);
            }
        }
    }

    /// <summary>Merges the workers' collectors per query into <paramref name="results"/> (query q at q * stride) and <paramref name="counts"/>.</summary>
    public void DrainTopK(Span<Neighbor> results, int stride, Span<int> counts)
    {
        ScanScratch? first = null;
        foreach (ScanScratch? s in _scratch)
        {
            if (s is null) continue;
            if (first is null) { first = s; continue; }
            TopKCollector[] into = first.CollectorsInUse, from = s.CollectorsInUse;
            for (int q = 0; q < _queryCount; q++) into[q].MergeFrom(from[q]);
        }
        for (int q = 0; q < _queryCount; q++)
            counts[q] = first is null ? 0 : first.CollectorsInUse[q].Drain(results.Slice(q * stride, stride));
    }

    /// <summary>Concatenates the workers' hit lists per query, sorted by distance, then id.</summary>
    public void DrainRadius(Span<Neighbor[]> results)
    {
        for (int q = 0; q < _queryCount; q++)
        {
            int total = 0;
            foreach (List<Neighbor>[]? h in _hits) total += h?[q].Count ?? 0;
            var merged = new Neighbor[total];
            int at = 0;
            foreach (List<Neighbor>[]? h in _hits)
            {
                if (h is null) continue;
                h[q].CopyTo(merged, at);
                at += h[q].Count;
            }
            merged.AsSpan().Sort();
            results[q] = merged;
        }
    }

    /// <summary>Gives every worker's scratch back to the pool.</summary>
    public void ReturnScratch()
    {
        for (int w = 0; w < _scratch.Length; w++)
        {
            if (_scratch[w] is { } s) _pool.Return(s);
            _scratch[w] = null;
        }
    }
}
