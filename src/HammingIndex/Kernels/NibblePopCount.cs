using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HammingIndex.Kernels;

/// <summary>
/// Byte-wise population count by nibble lookup (Mula, Kurz and Lemire, "Faster Population Counts
/// Using AVX2 Instructions"): each byte is split into its 4-bit halves, both are looked up in a
/// 16-entry table with a byte shuffle, and the two counts are added. Byte counts (0..8) can be
/// added across several words before <c>SumAbsoluteDifferences</c> folds 8 bytes into one count
/// per 64-bit lane; .NET 10 has no vector popcount intrinsic, so this is the vector path.
/// </summary>
internal static class NibblePopCount
{
    // popcount(0..15) as two little-endian ulongs: 0,1,1,2,1,2,2,3 | 1,2,2,3,2,3,3,4
    private const ulong TableLow = 0x0302020102010100;
    private const ulong TableHigh = 0x0403030203020201;

    /// <summary>Per-byte bit counts of <paramref name="v"/> (AVX2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> ByteCounts(Vector256<ulong> v)
    {
        Vector256<byte> table = Vector256.Create(TableLow, TableHigh, TableLow, TableHigh).AsByte();
        Vector256<byte> nibble = Vector256.Create((byte)0x0F);
        Vector256<byte> bytes = v.AsByte();
        Vector256<byte> low = bytes & nibble;
        Vector256<byte> high = Avx2.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble;
        return Avx2.Add(Avx2.Shuffle(table, low), Avx2.Shuffle(table, high));
    }

    /// <summary>Per-byte bit counts of <paramref name="v"/> (AVX-512BW).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> ByteCounts(Vector512<ulong> v)
    {
        Vector512<byte> table = Vector512.Create(TableLow, TableHigh, TableLow, TableHigh, TableLow, TableHigh, TableLow, TableHigh).AsByte();
        Vector512<byte> nibble = Vector512.Create((byte)0x0F);
        Vector512<byte> bytes = v.AsByte();
        Vector512<byte> low = bytes & nibble;
        Vector512<byte> high = Avx512BW.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble;
        return Avx512BW.Add(Avx512BW.Shuffle(table, low), Avx512BW.Shuffle(table, high));
    }

    /// <summary>Sums each run of 8 byte counts into its 64-bit lane (AVX2 <c>vpsadbw</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> LaneSums(Vector256<byte> counts) =>
        Avx2.SumAbsoluteDifferences(counts, Vector256<byte>.Zero).AsUInt64();

    /// <summary>Sums each run of 8 byte counts into its 64-bit lane (AVX-512BW <c>vpsadbw</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> LaneSums(Vector512<byte> counts) =>
        Avx512BW.SumAbsoluteDifferences(counts, Vector512<byte>.Zero).AsUInt64();

    /// <summary>Bit count of each 64-bit lane of <paramref name="v"/> (AVX2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> LaneCounts(Vector256<ulong> v) => LaneSums(ByteCounts(v));

    /// <summary>Bit count of each 64-bit lane of <paramref name="v"/> (AVX-512BW).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> LaneCounts(Vector512<ulong> v) => LaneSums(ByteCounts(v));
}
