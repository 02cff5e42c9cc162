using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using HammingIndex.Kernels;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Takes the positions of probed buckets: skips positions already seen by this query (pooled epoch
/// stamps), deleted codes and positions past the reader's count; computes each new candidate's
/// distance with the Hamming kernel and keeps it, either in a radius result list or a top-k collector.
/// </summary>
/// <remarks>
/// Every candidate costs random reads (its seen stamp, its code), each a likely cache miss. Positions
/// are therefore gathered into a batch, the batch's stamps and codes are prefetched, and only then
/// verified, so the misses overlap instead of following one another. Call <see cref="Flush"/> before
/// reading the results.
/// </remarks>
internal unsafe ref struct CandidateVerifier
{
    private readonly StoreMemory _memory;
    private readonly ReadOnlySpan<ulong> _query;
    private readonly long _count;
    private readonly MultiIndexScratch _scratch;
    private readonly int _radius; // radius mode when >= 0, k-NN mode otherwise
    private readonly TopKCollector? _collector;
    private readonly Span<uint> _batch;
    private int _batched;
    public ProbeWork Work;

    private CandidateVerifier(StoreMemory memory, ReadOnlySpan<ulong> query, long count, MultiIndexScratch scratch, int radius, ProbeWork work, TopKCollector? collector)
    {
        _memory = memory;
        _query = query;
        _count = count;
        _scratch = scratch;
        _radius = radius;
        Work = work;
        _collector = collector;
        _batch = scratch.CandidateBatch;
        _batched = 0;
    }

    /// <summary>Collects every candidate within <paramref name="radius"/> into the scratch's result list.</summary>
    public static CandidateVerifier ForRadius(StoreMemory memory, ReadOnlySpan<ulong> query, long count, MultiIndexScratch scratch, int radius, ProbeWork work) =>
        new(memory, query, count, scratch, radius, work, null);

    /// <summary>Offers every candidate to <paramref name="collector"/> (the scan's top-k collector).</summary>
    public static CandidateVerifier ForTopK(StoreMemory memory, ReadOnlySpan<ulong> query, long count, MultiIndexScratch scratch, TopKCollector collector, ProbeWork work) =>
        new(memory, query, count, scratch, -1, work, collector);

    /// <summary>Queues a bucket's positions for verification; false once the work limit is exceeded.</summary>
    public bool Visit(ReadOnlySpan<uint> bucket)
    {
        foreach (uint p in bucket)
        {
            _batch[_batched++] = p;
            if (_batched == _batch.Length && !Flush()) return false;
        }
        return true;
    }

    /// <summary>Verifies the queued positions; false once the work limit is exceeded.</summary>
    public bool Flush()
    {
        Span<uint> batch = _batch[.._batched];
        _batched = 0;
        if (Sse.IsSupported)
        {
            int words = _memory.Layout.WordsPerCode;
            foreach (uint p in batch)
            {
                if (p >= _count) continue;
                Sse.Prefetch0(Unsafe.AsPointer(ref _scratch.SeenStamp(p)));
                Sse.Prefetch0(_memory.CodePointer((int)(p >> _memory.BlockCapacityLog2)) + (long)(p & (_memory.BlockCapacity - 1)) * words);
            }
        }
        foreach (uint p in batch)
        {
            if (p >= _count || !_scratch.MarkSeen(p)) continue;
            if (!Work.Candidate()) return false;
            if (_memory.IsDeleted(p)) continue;
            int d = HammingKernels.Distance(_query, _memory.Code(p));
            if (_radius >= 0)
            {
                if (d <= _radius) _scratch.Results.Add(new Neighbor(_memory.Id(p), d));
            }
            else if (d <= _collector!.Bound)
            {
                _collector.Offer(_memory.Id(p), d);
            }
        }
        return true;
    }
}
