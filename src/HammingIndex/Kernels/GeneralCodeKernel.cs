using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static HammingIndex.Kernels.BytePopCount;

namespace HammingIndex.Kernels;

/// <summary>
/// Codes of any other length (3, 5..7, 9..64 words). The vector paths add the byte counts of all of
/// a code's words (at most 64 words: a byte never exceeds 8 * 16 = 128) and fold them with one
/// <c>SumAbsoluteDifferences</c> per code; the per-code lane sums of 4 or 8 codes are then folded
/// into one lane per code, in order, without horizontal sums. The AVX-512 path reads the last
/// partial vector of a code with a masked load, which never touches memory past the code.
/// </summary>
internal readonly unsafe struct GeneralCodeKernel : ICodeKernel
{
    private readonly ulong* _query;
    private readonly int _words;
    private readonly Vector512<ulong> _tailMask512;
    private readonly Vector512<ulong> _queryTail512;

    public GeneralCodeKernel(ulong* query, int words)
    {
        _query = query;
        _words = words;
        int tail = words & 7;
        _tailMask512 = Vector512.LessThan(Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7), Vector512.Create((ulong)tail));
        _queryTail512 = Vector512<ulong>.Zero;
        if (tail != 0 && Avx512F.IsSupported)
            _queryTail512 = Avx512F.MaskLoad(query + (words & ~7), _tailMask512, Vector512<ulong>.Zero);
    }

    public int Words => _words;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int DistanceScalar(ulong* code)
    {
        ulong* q = _query;
        int n = _words, i = 0, d0 = 0, d1 = 0, d2 = 0, d3 = 0;
        for (; i <= n - 4; i += 4)
        {
            d0 += BitOperations.PopCount(q[i] ^ code[i]);
            d1 += BitOperations.PopCount(q[i + 1] ^ code[i + 1]);
            d2 += BitOperations.PopCount(q[i + 2] ^ code[i + 2]);
            d3 += BitOperations.PopCount(q[i + 3] ^ code[i + 3]);
        }
        for (; i < n; i++) d0 += BitOperations.PopCount(q[i] ^ code[i]);
        return d0 + d1 + d2 + d3;
    }

    /// <summary>Lane sums of one code whose sum is its distance; words past the last 4 go into lane 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<ulong> LaneSums256(ulong* code)
    {
        ulong* q = _query;
        int n = _words, i = 0;
        Vector256<byte> counts = Vector256<byte>.Zero;
        for (; i <= n - 4; i += 4) counts += ByteCounts(Vector256.Load(code + i) ^ Vector256.Load(q + i));
        ulong rest = 0;
        for (; i < n; i++) rest += (ulong)BitOperations.PopCount(q[i] ^ code[i]);
        return LaneSums(counts) + Vector256.CreateScalar(rest);
    }

    /// <summary>Lane sums of one code whose sum is its distance.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector512<ulong> LaneSums512(ulong* code)
    {
        ulong* q = _query;
        int n = _words, i = 0;
        Vector512<byte> counts = Vector512<byte>.Zero;
        for (; i <= n - 8; i += 8) counts += ByteCounts(Vector512.Load(code + i) ^ Vector512.Load(q + i));
        if (i < n) counts += ByteCounts(Avx512F.MaskLoad(code + i, _tailMask512, Vector512<ulong>.Zero) ^ _queryTail512);
        return LaneSums(counts);
    }

    public Vector256<ulong> Distances4(ulong* codes)
    {
        int w = _words;
        Vector256<ulong> ab = LaneFolding.FoldPairs(LaneSums256(codes), LaneSums256(codes + w));
        Vector256<ulong> cd = LaneFolding.FoldPairs(LaneSums256(codes + 2 * w), LaneSums256(codes + 3 * w));
        return LaneFolding.FoldHalves(ab, cd);
    }

    public Vector512<ulong> Distances8(ulong* codes)
    {
        int w = _words;
        Vector512<ulong> ab = LaneFolding.FoldPairs(LaneSums512(codes), LaneSums512(codes + w));
        Vector512<ulong> cd = LaneFolding.FoldPairs(LaneSums512(codes + 2 * w), LaneSums512(codes + 3 * w));
        Vector512<ulong> ef = LaneFolding.FoldPairs(LaneSums512(codes + 4 * w), LaneSums512(codes + 5 * w));
        Vector512<ulong> gh = LaneFolding.FoldPairs(LaneSums512(codes + 6 * w), LaneSums512(codes + 7 * w));
        return LaneFolding.FoldQuarters(LaneFolding.FoldQuarters(ab, cd), LaneFolding.FoldQuarters(ef, gh));
    }
}
