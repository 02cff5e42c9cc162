namespace HammingIndex.Kernels;

/// <summary>An instruction-set path of the Hamming kernels.</summary>
public enum KernelPath
{
    /// <summary>The best path this CPU supports (the default).</summary>
    Auto = 0,

    /// <summary>Scalar hardware POPCNT (<see cref="System.Numerics.BitOperations.PopCount(ulong)"/>), unrolled.</summary>
    Scalar = 1,

    /// <summary>AVX2 nibble-lookup popcount (Mula, Kurz and Lemire).</summary>
    Avx2 = 2,

    /// <summary>AVX-512BW nibble-lookup popcount.</summary>
    Avx512 = 3,
}
