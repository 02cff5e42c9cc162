using HammingIndex.Search;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Per-query working memory, pooled (Microsoft.Extensions.ObjectPool) so a steady query stream
/// allocates nothing: the epoch-stamped "seen" array that deduplicates candidates across tables of
/// positions only (a new query costs one increment, not a clear), query substrings, the k-NN
/// collector and scan buffers.
/// </summary>
internal sealed class MultiIndexScratch
{
    private ushort[] _seen = [];
    private ushort _epoch;

    private const int CodesPerKernelCall = 1024;

    public ulong[] QuerySubstrings { get; private set; } = [];

    /// <summary>The scan's scratch: kernel hit buffers for the delta, and the k-NN collector.</summary>
    public ScanScratch Scan { get; } = new(CodesPerKernelCall);

    public List<Neighbor> Results { get; } = [];

    /// <summary>Per table, the substring distance up to which an earlier ring already took a code (see <see cref="CandidateVerifier"/>).</summary>
    public int[] EarlierLimits { get; private set; } = [];

    /// <summary>
    /// Starts a query over <paramref name="tables"/>: seen stamps for every indexed position when the
    /// tables hold positions only (tables with codes deduplicate without them).
    /// </summary>
    public void BeginQuery(MultiIndexTables tables)
    {
        int substrings = tables.Split.Count;
        if (QuerySubstrings.Length < substrings) QuerySubstrings = new ulong[substrings];
        if (EarlierLimits.Length < substrings) EarlierLimits = new int[substrings];
        Results.Clear();
        if (tables.HasCodes) return;
        long positions = tables.IndexedCount;
        if (_seen.Length < positions)
        {
            _seen = new ushort[positions];
            _epoch = 0;
        }
        if (++_epoch == 0)
        {
            Array.Clear(_seen);
            _epoch = 1;
        }
    }

    private double[] _model = [];

    /// <summary>Working memory of at least <paramref name="length"/> doubles for the k-NN distance model (<see cref="NearestPlan"/>).</summary>
    public double[] ModelBuffer(int length)
    {
        if (_model.Length < length) _model = new double[length];
        return _model;
    }

    /// <summary>Positions queued for verification (see <see cref="CandidateVerifier"/>).</summary>
    public uint[] CandidateBatch { get; } = new uint[64];

    /// <summary>The seen stamp of <paramref name="position"/> (to prefetch it).</summary>
    public ref ushort SeenStamp(uint position) => ref _seen[position];

    /// <summary>Marks <paramref name="position"/> seen by this query; false if it already was.</summary>
    public bool MarkSeen(uint position)
    {
        ref ushort stamp = ref _seen[position];
        if (stamp == _epoch) return false;
        stamp = _epoch;
        return true;
    }
}
