using HammingIndex.Kernels;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Takes the positions of probed buckets: skips positions already seen by this query (pooled epoch
/// stamps), deleted codes and positions past the reader's count; computes each new candidate's
/// distance with the Hamming kernel and keeps it, either in a radius result list or a top-k collector.
/// </summary>
internal ref struct CandidateVerifier
{
    private readonly StoreMemory _memory;
    private readonly ReadOnlySpan<ulong> _query;
    private readonly long _count;
    private readonly MultiIndexScratch _scratch;
    private readonly int _radius; // radius mode when >= 0, k-NN mode otherwise
    private readonly TopKCollector? _collector;
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
    }

    /// <summary>Collects every candidate within <paramref name="radius"/> into the scratch's result list.</summary>
    public static CandidateVerifier ForRadius(StoreMemory memory, ReadOnlySpan<ulong> query, long count, MultiIndexScratch scratch, int radius, ProbeWork work) =>
        new(memory, query, count, scratch, radius, work, default);

    /// <summary>Offers every candidate to <paramref name="collector"/> (the scan's top-k collector).</summary>
    public static CandidateVerifier ForTopK(StoreMemory memory, ReadOnlySpan<ulong> query, long count, MultiIndexScratch scratch, TopKCollector collector, ProbeWork work) =>
        new(memory, query, count, scratch, -1, work, collector);

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
            else if (d <= _collector!.Bound)
            {
                _collector.Offer(_memory.Id(p), d);
            }
        }
        return true;
    }
}
