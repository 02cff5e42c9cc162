using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace HammingIndex.Kernels;

/// <summary>
/// Adds byte counts of neighbouring 64-bit lanes so that each lane ends up holding the byte counts of
/// one whole code; a single <c>SumAbsoluteDifferences</c> then yields one distance per lane.
/// </summary>
internal static class LaneFolding
{
    /// <summary>Within each 128-bit lane: [a0 + a1, b0 + b1] (unpack low + unpack high of 64-bit lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> FoldPairs(Vector256<byte> a, Vector256<byte> b) =>
        Avx2.Add(Avx2.UnpackLow(a.AsUInt64(), b.AsUInt64()).AsByte(), Avx2.UnpackHigh(a.AsUInt64(), b.AsUInt64()).AsByte());

    /// <summary>Within each 128-bit lane: [a0 + a1, b0 + b1] (unpack low + unpack high of 64-bit lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> FoldPairs(Vector512<byte> a, Vector512<byte> b) =>
        Avx512BW.Add(Avx512F.UnpackLow(a.AsUInt64(), b.AsUInt64()).AsByte(), Avx512F.UnpackHigh(a.AsUInt64(), b.AsUInt64()).AsByte());

    /// <summary>[a.lo + a.hi, b.lo + b.hi] over 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> FoldHalves(Vector256<byte> a, Vector256<byte> b) =>
        Avx2.Add(Avx2.Permute2x128(a, b, 0x20), Avx2.Permute2x128(a, b, 0x31));

    /// <summary>128-bit lanes [a0 + a1, a2 + a3, b0 + b1, b2 + b3] (<c>vshufi64x2</c> even + odd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<byte> FoldQuarters(Vector512<byte> a, Vector512<byte> b) =>
        Avx512BW.Add(
            Avx512F.Shuffle4x128(a.AsUInt64(), b.AsUInt64(), 0x88).AsByte(),
            Avx512F.Shuffle4x128(a.AsUInt64(), b.AsUInt64(), 0xDD).AsByte());

    /// <summary>[a0 + a1, b0 + b1] of 64-bit sums (x86 unpack, Arm64 zip, else element-wise).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ulong> FoldPairs(Vector128<ulong> a, Vector128<ulong> b)
    {
        if (Sse2.IsSupported) return Sse2.UnpackLow(a, b) + Sse2.UnpackHigh(a, b);
        if (AdvSimd.Arm64.IsSupported) return AdvSimd.Arm64.ZipLow(a, b) + AdvSimd.Arm64.ZipHigh(a, b);
        return Vector128.Create(a.GetElement(0) + a.GetElement(1), b.GetElement(0) + b.GetElement(1));
    }

    /// <summary><see cref="FoldPairs(Vector256{byte}, Vector256{byte})"/> on 64-bit sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> FoldPairs(Vector256<ulong> a, Vector256<ulong> b) => Avx2.UnpackLow(a, b) + Avx2.UnpackHigh(a, b);

    /// <summary><see cref="FoldPairs(Vector512{byte}, Vector512{byte})"/> on 64-bit sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> FoldPairs(Vector512<ulong> a, Vector512<ulong> b) => Avx512F.UnpackLow(a, b) + Avx512F.UnpackHigh(a, b);

    /// <summary><see cref="FoldHalves(Vector256{byte}, Vector256{byte})"/> on 64-bit sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ulong> FoldHalves(Vector256<ulong> a, Vector256<ulong> b) => Avx2.Permute2x128(a, b, 0x20) + Avx2.Permute2x128(a, b, 0x31);

    /// <summary><see cref="FoldQuarters(Vector512{byte}, Vector512{byte})"/> on 64-bit sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> FoldQuarters(Vector512<ulong> a, Vector512<ulong> b) =>
        Avx512F.Shuffle4x128(a, b, 0x88) + Avx512F.Shuffle4x128(a, b, 0xDD);
}
