using HammingIndex.Kernels;

namespace HammingIndex.Search;

/// <summary>Tuning knobs of a <see cref="ScanSearcher"/>. The defaults suit most stores.</summary>
public sealed record ScanOptions
{
    /// <summary>The kernel instruction-set path (default <see cref="KernelPath.Auto"/>: <see cref="HammingKernels.DefaultPath"/>).</summary>
    public KernelPath KernelPath { get; init; } = KernelPath.Auto;

    /// <summary>How many cores a batch may use (default: all of them). Single-query searches run on the calling thread.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>How many queries of a batch share each pass over the codes (default 128).</summary>
    public int QueryBlockSize { get; init; } = 128;

    /// <summary>
    /// Bytes of codes a batch worker runs every query of a query block over before it moves on: sized to
    /// stay in the core's L2 cache (default 256 KiB; rounded down to a power-of-two number of codes).
    /// </summary>
    public int ChunkBytes { get; init; } = 256 * 1024;

    /// <summary>
    /// Codes handed to the kernel per call (default 4096): the top-k bound tightens between calls, and
    /// the per-query hit buffers hold this many entries.
    /// </summary>
    public int CodesPerKernelCall { get; init; } = 4096;

    /// <summary>
    /// How long the helper threads that join a batch (a scan's pass over the codes, a front-door batch's
    /// table probes; one per core beyond the caller's, see <see cref="MaxDegreeOfParallelism"/>) keep spinning for the next batch before they park:
    /// a parked thread here starts 0.1–2 ms after it is signalled, as long as a whole batch of short
    /// radius queries, so batches that follow one another within this keep every core. The cost is CPU
    /// time on the other cores after each batch. <see cref="TimeSpan.Zero"/> parks at once. Default 2 ms;
    /// at most 1 second.
    /// </summary>
    public TimeSpan HelperSpin { get; init; } = TimeSpan.FromMilliseconds(2);

    internal void Validate(string paramName)
    {
        if (HelperSpin < TimeSpan.Zero || HelperSpin > TimeSpan.FromSeconds(1))
            ThrowHelper.Argument(paramName, $"HelperSpin must be between 0 and 1 second, but is {HelperSpin}.");
        if (!Enum.IsDefined(KernelPath))
            ThrowHelper.Argument(paramName, $"Unknown kernel path {KernelPath}.");
        HammingKernels.Resolve(KernelPath); // NotSupportedException now rather than on the first search
        if (MaxDegreeOfParallelism < 1)
            ThrowHelper.Argument(paramName, $"MaxDegreeOfParallelism must be at least 1, but is {MaxDegreeOfParallelism}.");
        if (QueryBlockSize < 1)
            ThrowHelper.Argument(paramName, $"QueryBlockSize must be at least 1, but is {QueryBlockSize}.");
        if (ChunkBytes < 64)
            ThrowHelper.Argument(paramName, $"ChunkBytes must be at least 64, but is {ChunkBytes}.");
        if (CodesPerKernelCall < 64)
            ThrowHelper.Argument(paramName, $"CodesPerKernelCall must be at least 64, but is {CodesPerKernelCall}.");
    }
}
