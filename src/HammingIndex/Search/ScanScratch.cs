using Microsoft.Extensions.ObjectPool;

namespace HammingIndex.Search;

/// <summary>
/// Per-search scratch, rented from an <see cref="ObjectPool{T}"/> so a steady query stream allocates
/// nothing: the kernel's hit buffers (one entry per code of a kernel call) and one top-k collector per
/// query of a block (a single query uses the first).
/// </summary>
internal sealed class ScanScratch
{
    private TopKCollector[] _collectors = [];

    public ScanScratch(int codesPerCall)
    {
        Indices = new int[codesPerCall];
        Distances = new int[codesPerCall];
    }

    /// <summary>Positions (relative to the kernel call) of the codes that passed the bound.</summary>
    public int[] Indices { get; }

    /// <summary>Their distances.</summary>
    public int[] Distances { get; }

    /// <summary>The collectors handed out by the last <see cref="Collectors"/> call (and possibly more).</summary>
    public TopKCollector[] CollectorsInUse => _collectors;

    /// <summary>The first <paramref name="count"/> collectors, each reset for a new top-<paramref name="k"/> query.</summary>
    public TopKCollector[] Collectors(int count, int k, int maxDistance)
    {
        if (_collectors.Length < count)
        {
            int old = _collectors.Length;
            Array.Resize(ref _collectors, count);
            for (int i = old; i < count; i++) _collectors[i] = new TopKCollector();
        }
        for (int i = 0; i < count; i++) _collectors[i].Reset(k, maxDistance);
        return _collectors;
    }

    /// <summary>Creates scratch sized for a searcher's kernel calls; every rented instance is reusable as is.</summary>
    public sealed class Policy(int codesPerCall) : PooledObjectPolicy<ScanScratch>
    {
        /// <inheritdoc />
        public override ScanScratch Create() => new(codesPerCall);

        /// <inheritdoc />
        public override bool Return(ScanScratch obj) => true;
    }
}
