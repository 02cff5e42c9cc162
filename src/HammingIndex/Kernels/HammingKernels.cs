using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace HammingIndex.Kernels;

/// <summary>
/// Hamming distance from one query code to many packed codes. Every method checks its lengths
/// once, resolves the instruction-set path once (<see cref="Resolve"/>), picks the kernel for the
/// code size once (fast paths for 1, 2, 4, 8 and 16 words, a general one for the rest), then runs
/// that path's loop over all codes.
/// </summary>
/// <remarks>
/// <para>Codes are packed as in <see cref="Codes.CodeLayout"/>: the query is W ulongs and
/// <c>codes</c> holds consecutive W-ulong codes. All methods are thread-safe and allocate nothing.</para>
/// <para>Paths: <see cref="KernelPath.Scalar"/> (hardware POPCNT), <see cref="KernelPath.Vector128"/>
/// (portable: Arm64 <c>cnt</c>, x86 SSSE3), <see cref="KernelPath.Avx2"/> and <see cref="KernelPath.Avx512"/>
/// (nibble-lookup popcount, since .NET 10 exposes no x86 vector popcount).
/// <see cref="KernelPath.Auto"/> runs <see cref="DefaultPath"/>: the best the CPU has, unless the
/// environment variable <c>HAMMINGINDEX_KERNEL</c> forces one. Every path returns identical results.</para>
/// </remarks>
public static unsafe partial class HammingKernels
{
    /// <summary>Hamming distance between two codes of equal length.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Distance(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        if (a.Length != b.Length) ThrowLengthsDiffer(a.Length, b.Length);
        int d = 0;
        for (int i = 0; i < a.Length; i++) d += BitOperations.PopCount(a[i] ^ b[i]);
        return d;
    }

    /// <summary>Out of line, so an inlined <see cref="Distance"/> builds no message on its path.</summary>
    [MethodImpl(MethodImplOptions.NoInlining), DoesNotReturn]
    private static void ThrowLengthsDiffer(int a, int b) =>
        ThrowHelper.Argument("b", $"Codes differ in length: {a} vs {b} ulongs.");

    /// <summary>
    /// Writes the distance from <paramref name="query"/> to each code of <paramref name="codes"/>
    /// into <paramref name="distances"/> (one per code).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="query"/> is empty, or <paramref name="codes"/> is not
    /// <c>distances.Length</c> codes of the query's length.</exception>
    /// <exception cref="NotSupportedException"><paramref name="path"/> is not supported by this CPU.</exception>
    public static void Distances(ReadOnlySpan<ulong> query, ReadOnlySpan<ulong> codes, Span<int> distances, KernelPath path = KernelPath.Auto)
    {
        int words = query.Length;
        if (words == 0) ThrowHelper.Argument(nameof(query), "The query is empty.");
        if (codes.Length != (long)distances.Length * words)
            ThrowHelper.Argument(nameof(codes), $"{codes.Length} ulongs is not {distances.Length} codes of {words} ulongs.");
        KernelPath resolved = Resolve(path);
        int n = distances.Length;
        if (n == 0) return;
        fixed (ulong* q = query)
        fixed (ulong* c = codes)
        fixed (int* d = distances)
        {
            switch (words)
            {
                case 1: Distances(new Code64Kernel(q), resolved, c, n, d); break;
                case 2: Distances(new Code128Kernel(q), resolved, c, n, d); break;
                case 4: Distances(new Code256Kernel(q), resolved, c, n, d); break;
                case 8: Distances(new Code512Kernel(q), resolved, c, n, d); break;
                case 16: Distances(new Code1024Kernel(q), resolved, c, n, d); break;
                default: Distances(new GeneralCodeKernel(q, words), resolved, c, n, d); break;
            }
        }
    }

    /// <summary>
    /// Finds the codes within <paramref name="maxDistance"/> of <paramref name="query"/>: writes
    /// their indices (ascending, relative to <paramref name="codes"/>) and distances, and returns
    /// how many there are. The search layer's fused scan primitive: a vector of distances is
    /// compared with the bound at once and only passing codes are written.
    /// </summary>
    /// <param name="query">The query code (W ulongs).</param>
    /// <param name="codes">Consecutive W-ulong codes.</param>
    /// <param name="maxDistance">Largest distance that passes; negative finds nothing, the code length or more finds everything.</param>
    /// <param name="indices">Receives the indices of passing codes; room for one per code.</param>
    /// <param name="distances">Receives their distances; room for one per code.</param>
    /// <param name="path">The instruction-set path; <see cref="KernelPath.Auto"/> runs <see cref="DefaultPath"/>.</param>
    /// <returns>The number of passing codes written to the front of <paramref name="indices"/> and <paramref name="distances"/>.</returns>
    /// <exception cref="ArgumentException">A length does not fit: <paramref name="query"/> must not be empty, <paramref name="codes"/>
    /// must be whole codes, and <paramref name="indices"/> and <paramref name="distances"/> must hold one entry per code.</exception>
    /// <exception cref="NotSupportedException"><paramref name="path"/> is not supported by this CPU.</exception>
    public static int CollectWithin(ReadOnlySpan<ulong> query, ReadOnlySpan<ulong> codes, int maxDistance,
        Span<int> indices, Span<int> distances, KernelPath path = KernelPath.Auto)
    {
        int words = query.Length;
        if (words == 0) ThrowHelper.Argument(nameof(query), "The query is empty.");
        if (codes.Length % words != 0)
            ThrowHelper.Argument(nameof(codes), $"{codes.Length} ulongs is not a whole number of {words}-ulong codes.");
        int n = codes.Length / words;
        if (indices.Length < n) ThrowHelper.Argument(nameof(indices), $"Room for {indices.Length} indices, {n} needed.");
        if (distances.Length < n) ThrowHelper.Argument(nameof(distances), $"Room for {distances.Length} distances, {n} needed.");
        KernelPath resolved = Resolve(path);
        if (n == 0 || maxDistance < 0) return 0;
        fixed (ulong* q = query)
        fixed (ulong* c = codes)
        fixed (int* i = indices)
        fixed (int* d = distances)
        {
            return words switch
            {
                1 => Collect(new Code64Kernel(q), resolved, c, n, maxDistance, i, d),
                2 => Collect(new Code128Kernel(q), resolved, c, n, maxDistance, i, d),
                4 => Collect(new Code256Kernel(q), resolved, c, n, maxDistance, i, d),
                8 => Collect(new Code512Kernel(q), resolved, c, n, maxDistance, i, d),
                16 => Collect(new Code1024Kernel(q), resolved, c, n, maxDistance, i, d),
                _ => Collect(new GeneralCodeKernel(q, words), resolved, c, n, maxDistance, i, d),
            };
        }
    }

    private static void Distances<TKernel>(TKernel kernel, KernelPath path, ulong* codes, int n, int* distances)
        where TKernel : struct, ICodeKernel
    {
        switch (path)
        {
            case KernelPath.Avx512: KernelLoops.DistancesAvx512(kernel, codes, n, distances); break;
            case KernelPath.Avx2: KernelLoops.DistancesAvx2(kernel, codes, n, distances); break;
            case KernelPath.Vector128: KernelLoops.DistancesVector128(kernel, codes, n, distances); break;
            default: KernelLoops.DistancesScalar(kernel, codes, n, distances); break;
        }
    }

    private static int Collect<TKernel>(TKernel kernel, KernelPath path, ulong* codes, int n, int maxDistance, int* indices, int* distances)
        where TKernel : struct, ICodeKernel => path switch
        {
            KernelPath.Avx512 => KernelLoops.CollectAvx512(kernel, codes, n, maxDistance, indices, distances),
            KernelPath.Avx2 => KernelLoops.CollectAvx2(kernel, codes, n, maxDistance, indices, distances),
            KernelPath.Vector128 => KernelLoops.CollectVector128(kernel, codes, n, maxDistance, indices, distances),
            _ => KernelLoops.CollectScalar(kernel, codes, n, maxDistance, indices, distances),
        };
}
