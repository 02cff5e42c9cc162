using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static HammingIndex.Kernels.BytePopCount;

namespace HammingIndex.Kernels;

/// <summary>Codes of 8 words (449..512 bits).</summary>
internal readonly unsafe struct Code512Kernel : ICodeKernel
{
    private readonly ulong* _query;
    private readonly Vector256<ulong> _queryLow256, _queryHigh256;
    private readonly Vector512<ulong> _query512;

    public Code512Kernel(ulong* query)
    {
        _query = query;
        _queryLow256 = Vector256.Load(query);
        _queryHigh256 = Vector256.Load(query + 4);
        _query512 = Vector512.Create(_queryLow256, _queryHigh256);
    }

    public int Words => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<ulong> Distances2(ulong* codes) => PairDistances.Distances2(_query, 8, codes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int DistanceScalar(ulong* code)
    {
        ulong* q = _query;
        return BitOperations.PopCount(q[0] ^ code[0]) + BitOperations.PopCount(q[1] ^ code[1])
            + BitOperations.PopCount(q[2] ^ code[2]) + BitOperations.PopCount(q[3] ^ code[3])
            + BitOperations.PopCount(q[4] ^ code[4]) + BitOperations.PopCount(q[5] ^ code[5])
            + BitOperations.PopCount(q[6] ^ code[6]) + BitOperations.PopCount(q[7] ^ code[7]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<byte> CodeCounts256(ulong* code) =>
        ByteCounts(Vector256.Load(code) ^ _queryLow256) + ByteCounts(Vector256.Load(code + 4) ^ _queryHigh256);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<ulong> Distances4(ulong* codes)
    {
        Vector256<byte> a = CodeCounts256(codes);
        Vector256<byte> b = CodeCounts256(codes + 8);
        Vector256<byte> c = CodeCounts256(codes + 16);
        Vector256<byte> d = CodeCounts256(codes + 24);
        return LaneSums(LaneFolding.FoldHalves(LaneFolding.FoldPairs(a, b), LaneFolding.FoldPairs(c, d)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<ulong> Distances8(ulong* codes)
    {
        // One code per vector; three folds (pairs, quarters, quarters) leave one code per lane, in order.
        Vector512<byte> ab = LaneFolding.FoldPairs(ByteCounts(Vector512.Load(codes) ^ _query512), ByteCounts(Vector512.Load(codes + 8) ^ _query512));
        Vector512<byte> cd = LaneFolding.FoldPairs(ByteCounts(Vector512.Load(codes + 16) ^ _query512), ByteCounts(Vector512.Load(codes + 24) ^ _query512));
        Vector512<byte> ef = LaneFolding.FoldPairs(ByteCounts(Vector512.Load(codes + 32) ^ _query512), ByteCounts(Vector512.Load(codes + 40) ^ _query512));
        Vector512<byte> gh = LaneFolding.FoldPairs(ByteCounts(Vector512.Load(codes + 48) ^ _query512), ByteCounts(Vector512.Load(codes + 56) ^ _query512));
        Vector512<byte> abcd = LaneFolding.FoldQuarters(ab, cd);
        Vector512<byte> efgh = LaneFolding.FoldQuarters(ef, gh);
        return LaneSums(LaneFolding.FoldQuarters(abcd, efgh));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<ulong> InCodeOrder(Vector512<ulong> distances) => distances;
}
