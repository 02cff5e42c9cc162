using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static HammingIndex.Kernels.NibblePopCount;

namespace HammingIndex.Kernels;

/// <summary>
/// Codes of any other length (3, 5..7, 9..64 words). Vector paths work one code at a time: byte
/// counts of all its words are added up before a single <c>SumAbsoluteDifferences</c> (at most
/// 64 words, so a byte never exceeds 8 * 16 = 128). The AVX-512 path reads the last partial vector
/// with a masked load, which never touches memory past the code.
/// </summary>
internal readonly unsafe struct GeneralCodeKernel : ICodeKernel
{
    private readonly ulong* _query;
    private readonly int _words;
    private readonly int _fullVectors512;
    private readonly Vector512<ulong> _tailMask512;
    private readonly Vector512<ulong> _queryTail512;

    public GeneralCodeKernel(ulong* query, int words)
    {
        _query = query;
        _words = words;
        _fullVectors512 = words >> 3;
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

    private int Distance256(ulong* code)
    {
        ulong* q = _query;
        int n = _words, i = 0;
        Vector256<byte> counts = Vector256<byte>.Zero;
        for (; i <= n - 4; i += 4) counts += ByteCounts(Vector256.Load(code + i) ^ Vector256.Load(q + i));
        int d = (int)Vector256.Sum(LaneSums(counts));
        for (; i < n; i++) d += BitOperations.PopCount(q[i] ^ code[i]);
        return d;
    }

    private int Distance512(ulong* code)
    {
        ulong* q = _query;
        Vector512<byte> counts = Vector512<byte>.Zero;
        int full = _fullVectors512;
        for (int v = 0; v < full; v++) counts += ByteCounts(Vector512.Load(code + 8 * v) ^ Vector512.Load(q + 8 * v));
        if ((_words & 7) != 0)
            counts += ByteCounts(Avx512F.MaskLoad(code + 8 * full, _tailMask512, Vector512<ulong>.Zero) ^ _queryTail512);
        return (int)Vector512.Sum(LaneSums(counts));
    }

    public Vector256<ulong> Distances4(ulong* codes)
    {
        int w = _words;
        return Vector256.Create((ulong)Distance256(codes), (ulong)Distance256(codes + w),
            (ulong)Distance256(codes + 2 * w), (ulong)Distance256(codes + 3 * w));
    }

    public Vector512<ulong> Distances8(ulong* codes)
    {
        int w = _words;
        return Vector512.Create(
            (ulong)Distance512(codes), (ulong)Distance512(codes + w), (ulong)Distance512(codes + 2 * w), (ulong)Distance512(codes + 3 * w),
            (ulong)Distance512(codes + 4 * w), (ulong)Distance512(codes + 5 * w), (ulong)Distance512(codes + 6 * w), (ulong)Distance512(codes + 7 * w));
    }
}
