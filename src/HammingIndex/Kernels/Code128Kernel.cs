using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static HammingIndex.Kernels.BytePopCount;

namespace HammingIndex.Kernels;

/// <summary>Codes of 2 words (65..128 bits).</summary>
internal readonly unsafe struct Code128Kernel : ICodeKernel
{
    private readonly ulong _q0, _q1;
    private readonly ulong* _query;
    private readonly Vector256<ulong> _query256;
    private readonly Vector512<ulong> _query512;

    public Code128Kernel(ulong* query)
    {
        _query = query;
        _q0 = query[0];
        _q1 = query[1];
        _query256 = Vector256.Create(_q0, _q1, _q0, _q1);
        _query512 = Vector512.Create(_q0, _q1, _q0, _q1, _q0, _q1, _q0, _q1);
    }

    public int Words => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<ulong> Distances2(ulong* codes) => PairDistances.Distances2(_query, 2, codes);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int DistanceScalar(ulong* code) => BitOperations.PopCount(_q0 ^ code[0]) + BitOperations.PopCount(_q1 ^ code[1]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<ulong> Distances4(ulong* codes)
    {
        // [A,B] and [C,D] -> lanes [A,C,B,D] -> reorder to [A,B,C,D].
        Vector256<byte> ab = ByteCounts(Vector256.Load(codes) ^ _query256);
        Vector256<byte> cd = ByteCounts(Vector256.Load(codes + 4) ^ _query256);
        return Avx2.Permute4x64(LaneSums(LaneFolding.FoldPairs(ab, cd)), 0b11_01_10_00);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<ulong> Distances8(ulong* codes)
    {
        // [A,B,C,D] and [E,F,G,H] -> lanes [A,E,B,F,C,G,D,H].
        Vector512<byte> first = ByteCounts(Vector512.Load(codes) ^ _query512);
        Vector512<byte> second = ByteCounts(Vector512.Load(codes + 8) ^ _query512);
        return LaneSums(LaneFolding.FoldPairs(first, second));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<ulong> InCodeOrder(Vector512<ulong> distances) =>
        Avx512F.PermuteVar8x64(distances, Vector512.Create(0UL, 2, 4, 6, 1, 3, 5, 7));
}
