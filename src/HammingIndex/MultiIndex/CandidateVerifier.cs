using HammingIndex.Kernels;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Takes the positions of probed buckets: skips positions already seen by this query (pooled epoch
/// stamps), deleted codes and positions past the reader's count; computes each new candidate's
/// distance with the Hamming kernel and keeps it, either in a radius result list or a k-NN heap.
/// </summary>
internal ref struct CandidateVerifier
{
    private readonly StoreMemory _memory;
    private readonly ReadOnlySpan<ulong> _query;
    private readonly long _count;
    private readonly MultiIndexScratch _scratch;
    private readonly int _radius; // radius mode when >= 0, heap mode otherwise
    public ProbeWork Work;
    public NeighborHeap Heap;

    private CandidateVerifier(StoreMemory memory, ReadOnlySpan<ulong> query, long count, MultiIndexScratch scratch, int radius, ProbeWork work, NeighborHeap heap)
    {
        _memory = memory;
        _query = query;
        _count = count;
        _scratch = scratch;
        _radius = radius;
        Work = work;
        Heap = heap;
    }

    /// <summary>Collects every candidate within <paramref name="radius"/> into the scratch's result list.</summary>
    public static CandidateVerifier ForRadius(StoreMemory memory, ReadOnlySpan<ulong> query, long count, MultiIndexScratch scratch, int radius, ProbeWork work) =>
        new(memory, query, count, scratch, radius, work, default);

    /// <summary>Keeps the best candidates in <paramref name="heap"/>.</summary>
    public static CandidateVerifier ForHeap(StoreMemory memory, ReadOnlySpan<ulong> query, long count, MultiIndexScratch scratch, NeighborHeap heap, ProbeWork work) =>
        new(memory, query, count, scratch, -1, work, heap);

    /// <summary>Verifies a bucket's positions; false once the work limit is exceeded.</summary>
    public bool Visit(ReadOnlySpan<uint> bucket)
    {
        foreach (uint p in bucket)
        {
            if (p >= _count || !_scratch.MarkSeen(p)) continue;
            if (!Work.Candidate()) return false;
            if (_memory.IsDeleted(p)) continue;
            int d = HammingKernels.Distance(_query, _memory.Code(p));
            if (_radius >= 0)
            {
                if (d <= _radius) _scratch.Results.Add(new Neighbor(_memory.Id(p), d));
            }
            else if (Heap.Admits(d))
            {
                Heap.Add(new Neighbor(_memory.Id(p), d));
            }
        }
        return true;
    }
}
