using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HammingIndex.Kernels;

/// <summary>Codes of 1 word (up to 64 bits): one xor, one popcount per code.</summary>
internal readonly unsafe struct Code64Kernel : ICodeKernel
{
    private readonly ulong _query;
    private readonly Vector256<ulong> _query256;
    private readonly Vector512<ulong> _query512;

    public Code64Kernel(ulong* query)
    {
        _query = *query;
        _query256 = Vector256.Create(_query);
        _query512 = Vector512.Create(_query);
    }

    public int Words => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<ulong> Distances2(ulong* codes) => BytePopCount.LaneCounts(Vector128.Load(codes) ^ Vector128.Create(_query));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int DistanceScalar(ulong* code) => BitOperations.PopCount(_query ^ *code);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<ulong> Distances4(ulong* codes) => BytePopCount.LaneCounts(Vector256.Load(codes) ^ _query256);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<ulong> Distances8(ulong* codes) => BytePopCount.LaneCounts(Vector512.Load(codes) ^ _query512);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<ulong> InCodeOrder(Vector512<ulong> distances) => distances;
}
