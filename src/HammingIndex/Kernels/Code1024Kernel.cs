using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static HammingIndex.Kernels.BytePopCount;

namespace HammingIndex.Kernels;

/// <summary>Codes of 16 words (961..1024 bits): two 512-bit vectors per code.</summary>
internal readonly unsafe struct Code1024Kernel : ICodeKernel
{
    private readonly ulong* _query;
    private readonly Vector256<ulong> _query256a, _query256b, _query256c, _query256d;
    private readonly Vector512<ulong> _query512a, _query512b;

    public Code1024Kernel(ulong* query)
    {
        _query = query;
        _query256a = Vector256.Load(query);
        _query256b = Vector256.Load(query + 4);
        _query256c = Vector256.Load(query + 8);
        _query256d = Vector256.Load(query + 12);
        _query512a = Vector512.Create(_query256a, _query256b);
        _query512b = Vector512.Create(_query256c, _query256d);
    }

    public int Words => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<ulong> Distances2(ulong* codes) => PairDistances.Distances2(_query, 16, codes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int DistanceScalar(ulong* code)
    {
        ulong* q = _query;
        int d0 = 0, d1 = 0;
        for (int i = 0; i < 16; i += 2)
        {
            d0 += BitOperations.PopCount(q[i] ^ code[i]);
            d1 += BitOperations.PopCount(q[i + 1] ^ code[i + 1]);
        }
        return d0 + d1;
    }

    /// <summary>Byte counts of one code folded into one 256-bit vector (each byte at most 32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<byte> CodeCounts256(ulong* code) =>
        ByteCounts(Vector256.Load(code) ^ _query256a) + ByteCounts(Vector256.Load(code + 4) ^ _query256b)
        + ByteCounts(Vector256.Load(code + 8) ^ _query256c) + ByteCounts(Vector256.Load(code + 12) ^ _query256d);

    /// <summary>Byte counts of one code folded into one 512-bit vector (each byte at most 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector512<byte> CodeCounts512(ulong* code) =>
        ByteCounts(Vector512.Load(code) ^ _query512a) + ByteCounts(Vector512.Load(code + 8) ^ _query512b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<ulong> Distances4(ulong* codes)
    {
        // Bytes reach at most 32 * 4 = 128 after the folds.
        Vector256<byte> ab = LaneFolding.FoldPairs(CodeCounts256(codes), CodeCounts256(codes + 16));
        Vector256<byte> cd = LaneFolding.FoldPairs(CodeCounts256(codes + 32), CodeCounts256(codes + 48));
        return LaneSums(LaneFolding.FoldHalves(ab, cd));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<ulong> Distances8(ulong* codes)
    {
        // As Code512Kernel with two vectors per code; bytes reach at most 16 * 8 = 128 after the folds.
        Vector512<byte> ab = LaneFolding.FoldPairs(CodeCounts512(codes), CodeCounts512(codes + 16));
        Vector512<byte> cd = LaneFolding.FoldPairs(CodeCounts512(codes + 32), CodeCounts512(codes + 48));
        Vector512<byte> ef = LaneFolding.FoldPairs(CodeCounts512(codes + 64), CodeCounts512(codes + 80));
        Vector512<byte> gh = LaneFolding.FoldPairs(CodeCounts512(codes + 96), CodeCounts512(codes + 112));
        return LaneSums(LaneFolding.FoldQuarters(LaneFolding.FoldQuarters(ab, cd), LaneFolding.FoldQuarters(ef, gh)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<ulong> InCodeOrder(Vector512<ulong> distances) => distances;
}
