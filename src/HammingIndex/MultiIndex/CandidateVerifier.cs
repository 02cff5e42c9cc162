using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using HammingIndex.Kernels;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Takes the entries of probed buckets, verifies each new candidate's distance with the Hamming
/// kernel and keeps it, either in a radius result list or a top-k collector; deleted codes and
/// positions past the reader's count are skipped. Two ways, by the tables' layout:
/// <list type="bullet">
/// <item>Tables with codes (<see cref="MultiIndexOptions.CodesInTables"/>): a bucket's codes are read
/// in order and the distance is checked first, so most candidates cost a popcount and no random read.
/// A code lies in m buckets, one per table; it is taken only in the first ring of the probe order
/// that holds it (set by <see cref="BeginNearestRing"/> or <see cref="BeginRadiusTable"/>), which
/// its own substring distances tell, so no "seen" set is needed.</item>
/// <item>Tables of positions only: every candidate costs a random read of its code in the store, a
/// likely cache miss, so positions are gathered into a batch, the batch's codes prefetched, and only
/// then verified; repeats are dropped by the same substring-distance rule, from the store's code (a
/// repeat's code was read moments ago, so it is usually cached). No per-query memory grows with the
/// store: a "seen" stamp per position cost 2 bytes per code per concurrent query (2 GB at 10^9) and a
/// second cache miss per candidate. Call <see cref="Flush"/> before reading the results.</item>
/// </list>
/// </summary>
internal unsafe ref struct CandidateVerifier
{
    private readonly StoreMemory _memory;
    private readonly ReadOnlySpan<ulong> _query;
    private readonly long _count;
    private readonly MultiIndexScratch _scratch;
    private readonly SubstringSplit _split;
    private readonly ReadOnlySpan<ulong> _querySubstrings;
    private readonly Span<int> _earlierLimits; // a code whose substring j distance is <= this was taken in an earlier ring (-1: none)
    private readonly int _radius; // radius mode when >= 0, k-NN mode otherwise
    private readonly TopKCollector? _collector;
    private readonly Span<uint> _batch;
    private int _batched;
    private readonly Span<uint> _takenPositions; // codes taken, kept in groups (KeepTaken)
    private readonly Span<int> _takenDistances;
    private int _taken;
    public ProbeWork Work;

    private CandidateVerifier(StoreMemory memory, ReadOnlySpan<ulong> query, long count, MultiIndexScratch scratch, SubstringSplit split,
        int radius, ProbeWork work, TopKCollector? collector)
    {
        _memory = memory;
        _query = query;
        _count = count;
        _scratch = scratch;
        _split = split;
        _querySubstrings = scratch.QuerySubstrings.AsSpan(0, split.Count);
        _earlierLimits = scratch.EarlierLimits.AsSpan(0, split.Count);
        _radius = radius;
        Work = work;
        _collector = collector;
        _batch = scratch.CandidateBatch;
        _batched = 0;
        _takenPositions = scratch.TakenPositions;
        _takenDistances = scratch.TakenDistances;
        _taken = 0;
    }

    /// <summary>Collects every candidate within <paramref name="radius"/> into the scratch's result list.</summary>
    public static CandidateVerifier ForRadius(StoreMemory memory, ReadOnlySpan<ulong> query, long count, MultiIndexScratch scratch, SubstringSplit split, int radius, ProbeWork work) =>
        new(memory, query, count, scratch, split, radius, work, null);

    /// <summary>Offers every candidate to <paramref name="collector"/> (the scan's top-k collector).</summary>
    public static CandidateVerifier ForTopK(StoreMemory memory, ReadOnlySpan<ulong> query, long count, MultiIndexScratch scratch, SubstringSplit split, TopKCollector collector, ProbeWork work) =>
        new(memory, query, count, scratch, split, -1, work, collector);

    /// <summary>
    /// k-NN order: the ring of keys at distance <paramref name="t"/> in table <paramref name="j"/> comes
    /// after every ring (t' &lt; t, any table) and (t, j' &lt; j).
    /// </summary>
    public void BeginNearestRing(int t, int j)
    {
        for (int i = 0; i < _earlierLimits.Length; i++) _earlierLimits[i] = i < j ? t : i > j ? t - 1 : -1;
    }

    /// <summary>Radius order: table <paramref name="j"/> comes after tables 0..j-1, each probed up to its sub-radius.</summary>
    public void BeginRadiusTable(int j, scoped ReadOnlySpan<int> subRadii)
    {
        for (int i = 0; i < _earlierLimits.Length; i++) _earlierLimits[i] = i < j ? subRadii[i] : -1;
    }

    /// <summary>Starts loading the bucket's first entries (used ahead of <see cref="Visit"/>).</summary>
    public readonly void Prefetch(MultiIndexHashTable table, int start, int end)
    {
        if (!Sse.IsSupported || start == end) return;
        if (table.HasCodes) Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.AsRef(in table.Codes[start * _split.Layout.WordsPerCode])));
        else Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.AsRef(in table.Positions[start])));
    }

    /// <summary>Verifies (or queues) the entries start..end-1 of <paramref name="table"/>; false once the work limit is exceeded.</summary>
    public bool Visit(MultiIndexHashTable table, int start, int end)
    {
        if (table.HasCodes) return VisitCodes(table.Positions, table.Codes, start, end);
        ReadOnlySpan<uint> positions = table.Positions;
        for (int i = start; i < end; i++)
        {
            _batch[_batched++] = positions[i];
            if (_batched == _batch.Length && !Flush()) return false;
        }
        return true;
    }

    private bool VisitCodes(ReadOnlySpan<uint> positions, ReadOnlySpan<ulong> codes, int start, int end)
    {
        int limit = _radius >= 0 ? _radius : _collector!.Bound;
        int words = _split.Layout.WordsPerCode;
        if (words == 1)
        {
            ulong q = _query[0];
            for (int i = start; i < end; i++)
            {
                if (!Work.Candidate()) return false;
                int d = BitOperations.PopCount(q ^ codes[i]);
                if (d > limit) continue;
                if (Take(positions[i], codes.Slice(i, 1), d)) limit = _radius >= 0 ? _radius : _collector!.Bound;
            }
            return true;
        }
        for (int i = start; i < end; i++)
        {
            if (!Work.Candidate()) return false;
            ReadOnlySpan<ulong> code = codes.Slice(i * words, words);
            int d = HammingKernels.Distance(_query, code);
            if (d > limit) continue;
            if (Take(positions[i], code, d)) limit = _radius >= 0 ? _radius : _collector!.Bound;
        }
        return true;
    }

    /// <summary>
    /// Queues a code within the limit unless an earlier ring took it or it lies past the reader's count,
    /// its id's line prefetched; true when the queue was kept just now (the collector's bound may have
    /// tightened).
    /// </summary>
    private bool Take(uint position, ReadOnlySpan<ulong> code, int distance)
    {
        for (int j = 0; j < _earlierLimits.Length; j++)
        {
            int earlier = _earlierLimits[j];
            if (earlier >= 0 && BitOperations.PopCount(_split.Extract(code, j) ^ _querySubstrings[j]) <= earlier) return false;
        }
        if (position >= _count) return false;
        _memory.PrefetchId(position);
        _takenPositions[_taken] = position;
        _takenDistances[_taken] = distance;
        if (++_taken < _takenPositions.Length) return false;
        KeepTaken();
        return true;
    }

    /// <summary>
    /// Keeps the queued codes that are not deleted (and for k-NN still within the collector's bound, which
    /// may have tightened since they were queued). Each keep reads the code's id at random (a cache and
    /// TLB miss in a large store, about 200 ns here, a quarter of an abandoned 1M 64-bit 100-NN
    /// attempt's time one by one); queued, their misses overlap.
    /// </summary>
    private void KeepTaken()
    {
        for (int i = 0; i < _taken; i++)
        {
            uint position = _takenPositions[i];
            int distance = _takenDistances[i];
            if ((_radius < 0 && distance > _collector!.Bound) || _memory.IsDeleted(position)) continue;
            if (_radius >= 0) _scratch.Results.Add(new Neighbor(_memory.Id(position), distance));
            else _collector!.Offer(_memory.Id(position), distance);
        }
        _taken = 0;
    }

    /// <summary>Verifies the queued positions and keeps the queued codes; false once the work limit is exceeded.</summary>
    public bool Flush()
    {
        Span<uint> batch = _batch[.._batched];
        _batched = 0;
        if (Sse.IsSupported)
        {
            foreach (uint p in batch)
                if (p < _count) _memory.PrefetchCode(p);
        }
        foreach (uint p in batch)
        {
            if (p >= _count) continue;
            if (!Work.Candidate()) return false;
            ReadOnlySpan<ulong> code = _memory.Code(p);
            int d = HammingKernels.Distance(_query, code);
            if (d <= (_radius >= 0 ? _radius : _collector!.Bound)) Take(p, code, d);
        }
        KeepTaken();
        return true;
    }
}
