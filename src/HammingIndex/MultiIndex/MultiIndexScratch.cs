using HammingIndex.Search;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Per-query working memory, one per searching thread (a pool, Microsoft.Extensions.ObjectPool, for
/// nested searches; see <c>MultiIndexHash.RentScratch</c>) so a steady query stream allocates nothing:
/// query substrings, the earlier rings' substring limits, the k-NN collector, the candidate batch and
/// scan buffers. None of it grows with the store.
/// </summary>
internal sealed class MultiIndexScratch
{
    private const int CodesPerKernelCall = 1024;

    public ulong[] QuerySubstrings { get; private set; } = [];

    /// <summary>The scan's scratch: kernel hit buffers for the delta, and the k-NN collector.</summary>
    public ScanScratch Scan { get; } = new(CodesPerKernelCall);

    public List<Neighbor> Results { get; } = [];

    /// <summary>Per table, the substring distance up to which an earlier ring already took a code (see <see cref="CandidateVerifier"/>).</summary>
    public int[] EarlierLimits { get; private set; } = [];

    /// <summary>Starts a query over <paramref name="tables"/>.</summary>
    public void BeginQuery(MultiIndexTables tables)
    {
        int substrings = tables.Split.Count;
        if (QuerySubstrings.Length < substrings) QuerySubstrings = new ulong[substrings];
        if (EarlierLimits.Length < substrings) EarlierLimits = new int[substrings];
        Results.Clear();
    }

    private double[] _model = [];

    /// <summary>Working memory of at least <paramref name="length"/> doubles for the k-NN distance model (<see cref="NearestPlan"/>).</summary>
    public double[] ModelBuffer(int length)
    {
        if (_model.Length < length) _model = new double[length];
        return _model;
    }

    /// <summary>Keys of a radius search's balls gathered before they are probed (<see cref="RadiusProbe"/>), with their tables and bucket ranges.</summary>
    public ulong[] RingKeys { get; private set; } = [];

    /// <summary>The table of each gathered key.</summary>
    public int[] RingTables { get; private set; } = [];

    /// <summary>The bucket of each gathered key: first entry.</summary>
    public int[] RingStarts { get; private set; } = [];

    /// <summary>The bucket of each gathered key: entry past its last.</summary>
    public int[] RingEnds { get; private set; } = [];

    /// <summary>Room for at least <paramref name="keys"/> gathered keys (grown, keeping what is held).</summary>
    public void EnsureRings(int keys)
    {
        if (RingKeys.Length >= keys) return;
        int size = Math.Max(keys, Math.Max(64, 2 * RingKeys.Length));
        RingKeys = Grow(RingKeys, size);
        RingTables = Grow(RingTables, size);
        RingStarts = Grow(RingStarts, size);
        RingEnds = Grow(RingEnds, size);
    }

    private static T[] Grow<T>(T[] array, int size)
    {
        Array.Resize(ref array, size);
        return array;
    }

    /// <summary>Positions queued for verification (see <see cref="CandidateVerifier"/>).</summary>
    public uint[] CandidateBatch { get; } = new uint[64];

    /// <summary>Codes verified and queued to be kept, their ids prefetched (see <see cref="CandidateVerifier"/>).</summary>
    public uint[] TakenPositions { get; } = new uint[TakenGroup];

    /// <summary>The distances of <see cref="TakenPositions"/>.</summary>
    public int[] TakenDistances { get; } = new int[TakenGroup];

    private const int TakenGroup = 16;
}
