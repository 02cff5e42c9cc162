using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static HammingIndex.Kernels.BytePopCount;

namespace HammingIndex.Kernels;

/// <summary>
/// The portable Vector128 distance of one query to 2 consecutive codes of any length: both codes
/// advance together, 2 words per step, adding byte counts; the counts are summed to 64-bit lanes
/// every <see cref="StepsPerFold"/> steps, before a byte could wrap, so any length is exact.
/// An odd last word is counted with scalar POPCNT.
/// </summary>
internal static unsafe class PairDistances
{
    /// <summary>A step adds at most 8 to a byte count: 31 steps reach 248, the most below 256.</summary>
    public const int StepsPerFold = 31;

    /// <summary>[distance(query, codes), distance(query, codes + words)].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> Distances2(ulong* query, int words, ulong* codes)
    {
        ulong* second = codes + words;
        Vector128<ulong> sumA = Vector128<ulong>.Zero, sumB = Vector128<ulong>.Zero;
        int i = 0, even = words & ~1;
        while (i < even)
        {
            int end = Math.Min(even, i + 2 * StepsPerFold);
            Vector128<byte> a = Vector128<byte>.Zero, b = Vector128<byte>.Zero;
            for (; i < end; i += 2)
            {
                Vector128<ulong> q = Vector128.Load(query + i);
                a += ByteCounts(Vector128.Load(codes + i) ^ q);
                b += ByteCounts(Vector128.Load(second + i) ^ q);
            }
            sumA += LaneSums(a);
            sumB += LaneSums(b);
        }
        Vector128<ulong> distances = LaneFolding.FoldPairs(sumA, sumB);
        if (i < words)
            distances += Vector128.Create((ulong)BitOperations.PopCount(query[i] ^ codes[i]), (ulong)BitOperations.PopCount(query[i] ^ second[i]));
        return distances;
    }
}
