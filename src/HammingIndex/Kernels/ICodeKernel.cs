using System.Runtime.Intrinsics;

namespace HammingIndex.Kernels;

/// <summary>
/// The distance from one query (held by the kernel) to consecutive codes of one size, on each
/// instruction-set path. One struct per code size; <see cref="KernelLoops"/> is generic over it so
/// the JIT compiles a specialized loop per size and the size is chosen once per call.
/// </summary>
/// <remarks>Callers guarantee that the pointers cover the codes read; nothing is checked here.</remarks>
internal unsafe interface ICodeKernel
{
    /// <summary>Words (ulongs) per code.</summary>
    int Words { get; }

    /// <summary>Distance to the code at <paramref name="code"/> (scalar POPCNT).</summary>
    int DistanceScalar(ulong* code);

    /// <summary>Distances to the 2 consecutive codes at <paramref name="codes"/>, one per 64-bit lane, in order (portable Vector128).</summary>
    Vector128<ulong> Distances2(ulong* codes);

    /// <summary>Distances to the 4 consecutive codes at <paramref name="codes"/>, one per 64-bit lane, in order (AVX2).</summary>
    Vector256<ulong> Distances4(ulong* codes);

    /// <summary>
    /// Distances to the 8 consecutive codes at <paramref name="codes"/>, one per 64-bit lane, in the
    /// kernel's lane order (AVX-512BW); <see cref="InCodeOrder"/> puts them in code order. Scans that
    /// only compare against a bound reorder the rare vectors with a passing lane.
    /// </summary>
    Vector512<ulong> Distances8(ulong* codes);

    /// <summary>Puts the lanes of <see cref="Distances8"/> in code order (identity for most kernels).</summary>
    Vector512<ulong> InCodeOrder(Vector512<ulong> distances);
}
