using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace HammingIndex.Kernels;

/// <summary>
/// Byte-wise population counts for the vector paths (.NET 10 has no vector popcount intrinsic).
/// Byte counts (0..8) can be added across several words before <c>SumAbsoluteDifferences</c>
/// folds 8 bytes into one count per 64-bit lane.
/// </summary>
/// <remarks>
/// Arm64: <c>cnt</c> (AdvSimd.PopCount) counts bytes in one instruction.
/// x86 SSSE3, AVX2, and AVX-512 without VBMI/GFNI: nibble lookup (Mula, Kurz and Lemire, "Faster Population
/// Counts Using AVX2 Instructions"): split each byte into 4-bit halves, look both up in a 16-entry
/// table with a byte shuffle, add (6 operations). AVX-512 with VBMI and GFNI (Ice Lake, Zen 4 and
/// later): one 128-entry lookup of the low 7 bits (<c>vpermi2b</c>) plus bit 7 moved to bit 0 by a
/// GF(2) affine transform (<c>gf2p8affineqb</c>), added (3 operations; about 1.5x the nibble path).
/// </remarks>
internal static class BytePopCount
{
    // popcount(0..15) as two little-endian ulongs: 0,1,1,2,1,2,2,3 | 1,2,2,3,2,3,3,4
    private const ulong NibbleTableLow = 0x0302020102010100;
    private const ulong NibbleTableHigh = 0x0403030203020201;

    // gf2p8affineqb matrix whose row for output bit 0 (byte 7) selects input bit 7; other rows zero.
    private const ulong TopBitToBitZero = 0x8000000000000000;

    /// <summary>Whether the AVX-512 path uses the <c>vpermi2b</c> + GFNI byte count (else nibble lookup).</summary>
    public static bool UsesPermuteLookup => Avx512Vbmi.IsSupported && Gfni.V512.IsSupported;

    /// <summary>Per-byte bit counts of <paramref name="v"/> (portable: Arm64 <c>cnt</c>, x86 SSSE3 nibble lookup, else shifts and masks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> ByteCounts(Vector128<ulong> v)
    {
        if (AdvSimd.IsSupported) return AdvSimd.PopCount(v.AsByte());
        if (Ssse3.IsSupported)
        {
            Vector128<byte> table = Vector128.Create(NibbleTableLow, NibbleTableHigh).AsByte();
            Vector128<byte> nibble = Vector128.Create((byte)0x0F);
            Vector128<byte> low = v.AsByte() & nibble;
            Vector128<byte> high = Sse2.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble;
            return Sse2.Add(Ssse3.Shuffle(table, low), Ssse3.Shuffle(table, high));
        }
        return ByteCountsShifts(v);
    }

    /// <summary>Per-byte bit counts by shifts and masks (the classic SWAR popcount stopped at bytes); any 128-bit vector unit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> ByteCountsShifts(Vector128<ulong> v)
    {
        Vector128<ulong> x = v - ((v >>> 1) & Vector128.Create(0x5555555555555555UL));
        x = (x & Vector128.Create(0x3333333333333333UL)) + ((x >>> 2) & Vector128.Create(0x3333333333333333UL));
        return ((x + (x >>> 4)) & Vector128.Create(0x0F0F0F0F0F0F0F0FUL)).AsByte();
    }

    /// <summary>Sums each run of 8 byte counts into its 64-bit lane (x86 <c>psadbw</c>, Arm64 pairwise widening adds, else shifts and masks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> LaneSums(Vector128<byte> counts)
    {
        if (Sse2.IsSupported) return Sse2.SumAbsoluteDifferences(counts, Vector128<byte>.Zero).AsUInt64();
        if (AdvSimd.IsSupported) return AdvSimd.AddPairwiseWidening(AdvSimd.AddPairwiseWidening(AdvSimd.AddPairwiseWidening(counts)));
        return LaneSumsShifts(counts);
    }

    /// <summary>Sums each run of 8 bytes into its 64-bit lane by shifts and masks (bytes, then 16-, then 32-bit halves); any 128-bit vector unit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> LaneSumsShifts(Vector128<byte> counts)
    {
        Vector128<ulong> x = counts.AsUInt64();
        x = (x & Vector128.Create(0x00FF00FF00FF00FFUL)) + ((x >>> 8) & Vector128.Create(0x00FF00FF00FF00FFUL));
        x = (x & Vector128.Create(0x0000FFFF0000FFFFUL)) + ((x >>> 16) & Vector128.Create(0x0000FFFF0000FFFFUL));
        return (x & Vector128.Create(0x00000000FFFFFFFFUL)) + (x >>> 32);
    }

    /// <summary>Bit count of each 64-bit lane of <paramref name="v"/> (portable).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> LaneCounts(Vector128<ulong> v) => LaneSums(ByteCounts(v));

    /// <summary>Per-byte bit counts of <paramref name="v"/> (AVX2, nibble lookup).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> ByteCounts(Vector256<ulong> v)
    {
        Vector256<byte> table = Vector256.Create(NibbleTableLow, NibbleTableHigh, NibbleTableLow, NibbleTableHigh).AsByte();
        Vector256<byte> nibble = Vector256.Create((byte)0x0F);
        Vector256<byte> low = v.AsByte() & nibble;
        Vector256<byte> high = Avx2.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble;
        return Avx2.Add(Avx2.Shuffle(table, low), Avx2.Shuffle(table, high));
    }

    /// <summary>Per-byte bit counts of <paramref name="v"/> (AVX-512BW; the best method the CPU has).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> ByteCounts(Vector512<ulong> v) =>
        UsesPermuteLookup ? ByteCountsPermute(v) : ByteCountsNibble(v);

    /// <summary>Per-byte bit counts by nibble lookup (AVX-512BW).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> ByteCountsNibble(Vector512<ulong> v)
    {
        Vector512<byte> table = Vector512.Create(NibbleTableLow, NibbleTableHigh, NibbleTableLow, NibbleTableHigh,
            NibbleTableLow, NibbleTableHigh, NibbleTableLow, NibbleTableHigh).AsByte();
        Vector512<byte> nibble = Vector512.Create((byte)0x0F);
        Vector512<byte> low = v.AsByte() & nibble;
        Vector512<byte> high = Avx512BW.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble;
        return Avx512BW.Add(Avx512BW.Shuffle(table, low), Avx512BW.Shuffle(table, high));
    }

    /// <summary>Per-byte bit counts by a 7-bit table lookup plus the top bit (AVX-512 VBMI + GFNI).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> ByteCountsPermute(Vector512<ulong> v)
    {
        // popcount(0..63); popcount(64..127) is the same plus one.
        Vector512<byte> low = Vector512.Create(
            (byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 1, 2, 2, 3, 2, 3, 3, 4, 2, 3, 3, 4, 3, 4, 4, 5,
            1, 2, 2, 3, 2, 3, 3, 4, 2, 3, 3, 4, 3, 4, 4, 5, 2, 3, 3, 4, 3, 4, 4, 5, 3, 4, 4, 5, 4, 5, 5, 6);
        Vector512<byte> high = Vector512.Create(
            (byte)1, 2, 2, 3, 2, 3, 3, 4, 2, 3, 3, 4, 3, 4, 4, 5, 2, 3, 3, 4, 3, 4, 4, 5, 3, 4, 4, 5, 4, 5, 5, 6,
            2, 3, 3, 4, 3, 4, 4, 5, 3, 4, 4, 5, 4, 5, 5, 6, 3, 4, 4, 5, 4, 5, 5, 6, 4, 5, 5, 6, 5, 6, 6, 7);
        Vector512<byte> bytes = v.AsByte();
        Vector512<byte> topBit = Gfni.V512.GaloisFieldAffineTransform(bytes, Vector512.Create(TopBitToBitZero).AsByte(), 0);
        return Avx512BW.Add(Avx512Vbmi.PermuteVar64x8x2(low, bytes, high), topBit);
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
