namespace HammingIndex.Kernels;

/// <summary>
/// An instruction-set path of the Hamming kernels. Every path gives identical results; they differ
/// only in speed. <see cref="HammingKernels.IsSupported"/> tells which ones this CPU has, and a path it
/// lacks makes a kernel call throw <see cref="NotSupportedException"/>.
/// </summary>
public enum KernelPath
{
    /// <summary><see cref="HammingKernels.DefaultPath"/>: the best path this CPU supports, unless the
    /// environment variable <c>HAMMINGINDEX_KERNEL</c> forces another (the default).</summary>
    Auto = 0,

    /// <summary>Scalar hardware POPCNT (<see cref="System.Numerics.BitOperations.PopCount(ulong)"/>), unrolled. Always supported.</summary>
    Scalar = 1,

    /// <summary>AVX2 nibble-lookup popcount (Mula, Kurz and Lemire), 4 codes' distances per vector.</summary>
    Avx2 = 2,

    /// <summary>AVX-512BW nibble-lookup popcount, 8 codes' distances per vector. Needs AVX-512F and AVX-512BW.</summary>
    Avx512 = 3,

    /// <summary>Portable 128-bit vectors, 2 codes' distances per vector: <c>cnt</c> on Arm64 (AdvSimd),
    /// nibble lookup on x86 (SSSE3), shifts and masks elsewhere. The best path on Arm64; on x86 it runs
    /// only when forced. Needs hardware-accelerated <see cref="System.Runtime.Intrinsics.Vector128"/>.</summary>
    Vector128 = 4,
}
