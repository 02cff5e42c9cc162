using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static HammingIndex.Kernels.BytePopCount;

namespace HammingIndex.Kernels;

/// <summary>Codes of 4 words (193..256 bits).</summary>
internal readonly unsafe struct Code256Kernel : ICodeKernel
{
    private readonly ulong _q0, _q1, _q2, _q3;
    private readonly ulong* _query;
    private readonly Vector256<ulong> _query256;
    private readonly Vector512<ulong> _query512;

    public Code256Kernel(ulong* query)
    {
        _query = query;
        _q0 = query[0];
        _q1 = query[1];
        _q2 = query[2];
        _q3 = query[3];
        _query256 = Vector256.Load(query);
        _query512 = Vector512.Create(_query256, _query256);
    }

    public int Words => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<ulong> Distances2(ulong* codes) => PairDistances.Distances2(_query, 4, codes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int DistanceScalar(ulong* code) =>
        BitOperations.PopCount(_q0 ^ code[0]) + BitOperations.PopCount(_q1 ^ code[1])
        + BitOperations.PopCount(_q2 ^ code[2]) + BitOperations.PopCount(_q3 ^ code[3]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<ulong> Distances4(ulong* codes)
    {
        Vector256<byte> a = ByteCounts(Vector256.Load(codes) ^ _query256);
        Vector256<byte> b = ByteCounts(Vector256.Load(codes + 4) ^ _query256);
        Vector256<byte> c = ByteCounts(Vector256.Load(codes + 8) ^ _query256);
        Vector256<byte> d = ByteCounts(Vector256.Load(codes + 12) ^ _query256);
        // [A01,B01,A23,B23] and [C01,D01,C23,D23] -> [A,B,C,D]
        return LaneSums(LaneFolding.FoldHalves(LaneFolding.FoldPairs(a, b), LaneFolding.FoldPairs(c, d)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<ulong> Distances8(ulong* codes)
    {
        Vector512<byte> ab = ByteCounts(Vector512.Load(codes) ^ _query512);
        Vector512<byte> cd = ByteCounts(Vector512.Load(codes + 8) ^ _query512);
        Vector512<byte> ef = ByteCounts(Vector512.Load(codes + 16) ^ _query512);
        Vector512<byte> gh = ByteCounts(Vector512.Load(codes + 24) ^ _query512);
        // [A01,C01,A23,C23,B01,D01,B23,D23] (+ E..H) -> lanes [A,C,B,D,E,G,F,H].
        Vector512<byte> folded = LaneFolding.FoldQuarters(LaneFolding.FoldPairs(ab, cd), LaneFolding.FoldPairs(ef, gh));
        return LaneSums(folded);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<ulong> InCodeOrder(Vector512<ulong> distances) =>
        Avx512F.PermuteVar8x64(distances, Vector512.Create(0UL, 2, 1, 3, 4, 6, 5, 7));
}
