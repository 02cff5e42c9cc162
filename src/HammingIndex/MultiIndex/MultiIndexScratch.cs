using HammingIndex.Search;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Per-query working memory, pooled (Microsoft.Extensions.ObjectPool) so a steady query stream
/// allocates nothing: the epoch-stamped "seen" array that deduplicates candidates across tables
/// (a new query costs one increment, not a clear), query substrings, the k-NN collector and scan buffers.
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

    /// <summary>Starts a query over <paramref name="positions"/> indexed positions and <paramref name="substrings"/> tables.</summary>
    public void BeginQuery(long positions, int substrings)
    {
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
        if (QuerySubstrings.Length < substrings) QuerySubstrings = new ulong[substrings];
        Results.Clear();
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
