using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static HammingIndex.Kernels.BytePopCount;

namespace HammingIndex.Kernels;

/// <summary>
/// Codes of any other length (3, 5..7, 9..15, 17 or more words). The vector paths walk 2, 4 or 8 codes
/// side by side, one query vector at a time, adding each code's byte counts; every
/// <see cref="PairDistances.StepsPerFold"/> steps (before a byte could pass 255) one
/// <c>SumAbsoluteDifferences</c> per code moves them into 64-bit lane sums, so any length is exact.
/// The codes' lane sums are then folded into one lane per code, in order, without horizontal sums. The AVX-512 path reads the
/// last partial vector of each code with a masked load, which never touches memory past the code.
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
    public Vector128<ulong> Distances2(ulong* codes) => PairDistances.Distances2(_query, _words, codes);

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

    // Not inlined: the loops unroll 2 to 4 calls, and 8 accumulators each would spill.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public Vector256<ulong> Distances4(ulong* codes)
    {
        // The 4 codes advance together, so each query vector is loaded once for all of them.
        ulong* q = _query;
        int n = _words, w = n, i = 0, whole = n & ~3;
        Vector256<ulong> sa = default, sb = default, sc = default, sd = default;
        while (i < whole)
        {
            int end = Math.Min(whole, i + 4 * PairDistances.StepsPerFold);
            Vector256<byte> a = default, b = default, c = default, d = default;
            for (; i < end; i += 4)
            {
                Vector256<ulong> qv = Vector256.Load(q + i);
                a += ByteCounts(Vector256.Load(codes + i) ^ qv);
                b += ByteCounts(Vector256.Load(codes + w + i) ^ qv);
                c += ByteCounts(Vector256.Load(codes + 2 * w + i) ^ qv);
                d += ByteCounts(Vector256.Load(codes + 3 * w + i) ^ qv);
            }
            sa += LaneSums(a);
            sb += LaneSums(b);
            sc += LaneSums(c);
            sd += LaneSums(d);
        }
        Vector256<ulong> sums = LaneFolding.FoldHalves(LaneFolding.FoldPairs(sa, sb), LaneFolding.FoldPairs(sc, sd));
        if (i < n) sums += Vector256.Create(ScalarRest(codes, i), ScalarRest(codes + w, i), ScalarRest(codes + 2 * w, i), ScalarRest(codes + 3 * w, i));
        return sums;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Vector512<ulong> Distances8(ulong* codes)
    {
        // The 8 codes advance together, so each query vector is loaded once for all of them.
        ulong* q = _query;
        int n = _words, w = n, i = 0;
        int whole = n & ~7;
        Vector512<ulong> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        while (i < whole)
        {
            int end = Math.Min(whole, i + 8 * PairDistances.StepsPerFold);
            Vector512<byte> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
            for (; i < end; i += 8)
            {
                Vector512<ulong> qv = Vector512.Load(q + i);
                ulong* p = codes + i;
                c0 += ByteCounts(Vector512.Load(p) ^ qv);
                c1 += ByteCounts(Vector512.Load(p + w) ^ qv);
                c2 += ByteCounts(Vector512.Load(p + 2 * w) ^ qv);
                c3 += ByteCounts(Vector512.Load(p + 3 * w) ^ qv);
                c4 += ByteCounts(Vector512.Load(p + 4 * w) ^ qv);
                c5 += ByteCounts(Vector512.Load(p + 5 * w) ^ qv);
                c6 += ByteCounts(Vector512.Load(p + 6 * w) ^ qv);
                c7 += ByteCounts(Vector512.Load(p + 7 * w) ^ qv);
            }
            s0 += LaneSums(c0); s1 += LaneSums(c1); s2 += LaneSums(c2); s3 += LaneSums(c3);
            s4 += LaneSums(c4); s5 += LaneSums(c5); s6 += LaneSums(c6); s7 += LaneSums(c7);
        }
        if (i < n)
        {
            Vector512<ulong> mask = _tailMask512, qv = _queryTail512;
            ulong* p = codes + i;
            s0 += LaneCounts(Avx512F.MaskLoad(p, mask, default) ^ qv);
            s1 += LaneCounts(Avx512F.MaskLoad(p + w, mask, default) ^ qv);
            s2 += LaneCounts(Avx512F.MaskLoad(p + 2 * w, mask, default) ^ qv);
            s3 += LaneCounts(Avx512F.MaskLoad(p + 3 * w, mask, default) ^ qv);
            s4 += LaneCounts(Avx512F.MaskLoad(p + 4 * w, mask, default) ^ qv);
            s5 += LaneCounts(Avx512F.MaskLoad(p + 5 * w, mask, default) ^ qv);
            s6 += LaneCounts(Avx512F.MaskLoad(p + 6 * w, mask, default) ^ qv);
            s7 += LaneCounts(Avx512F.MaskLoad(p + 7 * w, mask, default) ^ qv);
        }
        Vector512<ulong> ab = LaneFolding.FoldPairs(s0, s1);
        Vector512<ulong> cd = LaneFolding.FoldPairs(s2, s3);
        Vector512<ulong> ef = LaneFolding.FoldPairs(s4, s5);
        Vector512<ulong> gh = LaneFolding.FoldPairs(s6, s7);
        return LaneFolding.FoldQuarters(LaneFolding.FoldQuarters(ab, cd), LaneFolding.FoldQuarters(ef, gh));
    }

    /// <summary>Distance over words <paramref name="from"/>.. of one code (scalar).</summary>
    private ulong ScalarRest(ulong* code, int from)
    {
        ulong d = 0;
        for (int i = from; i < _words; i++) d += (ulong)BitOperations.PopCount(_query[i] ^ code[i]);
        return d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<ulong> InCodeOrder(Vector512<ulong> distances) => distances;
}
