using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HammingIndex.Benchmarks.Kernels;

/// <summary>Where the scanned codes live: a set that fits in L2, or one far larger than L3.</summary>
public enum CodeSet
{
    /// <summary>256 KiB of codes: stays in L2 between invocations (compute-bound).</summary>
    Cache,

    /// <summary>128 MiB of codes: streamed from DRAM on every pass (memory-bound).</summary>
    Dram,
}

/// <summary>Sizes and random contents of the benchmark code sets.</summary>
public static class CodeSets
{
    /// <summary>Bytes of codes in <paramref name="set"/>.</summary>
    public static long Bytes(CodeSet set) => set == CodeSet.Cache ? 256L << 10 : 128L << 20;

    /// <summary>Codes of <paramref name="bits"/> bits (a multiple of 64) in <paramref name="set"/>.</summary>
    public static int Count(CodeSet set, int bits) => (int)(Bytes(set) / (bits / 8));

    /// <summary>64-byte-aligned native memory (like the store's blocks) filled with random words; free with <see cref="NativeMemory.AlignedFree"/>.</summary>
    public static unsafe ulong* AllocateRandom(long words, int seed)
    {
        var p = (ulong*)NativeMemory.AlignedAlloc((nuint)(words * sizeof(ulong)), 64);
        new Random(seed).NextBytes(new Span<byte>(p, checked((int)(words * sizeof(ulong)))));
        return p;
    }

    /// <summary>
    /// Reads <paramref name="words"/> 64-byte-aligned words once (a multiple of 32), xor-reduced with
    /// 512-bit loads into 4 accumulators: the plain-read ceiling a kernel's GB/s is compared with.
    /// </summary>
    public static unsafe ulong ReadAll(ulong* p, long words)
    {
        Vector512<ulong> a = default, b = default, c = default, d = default;
        for (long i = 0; i < words; i += 32)
        {
            a ^= Vector512.LoadAligned(p + i);
            b ^= Vector512.LoadAligned(p + i + 8);
            c ^= Vector512.LoadAligned(p + i + 16);
            d ^= Vector512.LoadAligned(p + i + 24);
        }
        return Vector512.Sum(a ^ b ^ c ^ d);
    }
}
