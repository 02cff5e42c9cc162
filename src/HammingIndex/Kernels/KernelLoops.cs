using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HammingIndex.Kernels;

/// <summary>
/// The scan loops, generic over the code-size kernel so the JIT specializes each loop per size.
/// Each path computes a vector of distances at a time; <c>Collect*</c> compares the whole vector
/// against the bound (one compare, one mask) and only walks the mask bits of passing codes.
/// </summary>
/// <remarks>The loops are compiled fully optimized at once (no tiering): they run long, and a
/// tier-0 or on-stack-replacement version would distort both speed and measurements.
/// Arguments were checked by <see cref="HammingKernels"/>: <c>codes</c> holds
/// <c>n * kernel.Words</c> ulongs, outputs hold <c>n</c> ints. No checks here.</remarks>
internal static unsafe class KernelLoops
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DistancesScalar<TKernel>(TKernel kernel, ulong* codes, int n, int* distances)
        where TKernel : struct, ICodeKernel
    {
        int w = kernel.Words, i = 0;
        for (; i <= n - 4; i += 4)
        {
            ulong* p = codes + (nint)i * w;
            distances[i] = kernel.DistanceScalar(p);
            distances[i + 1] = kernel.DistanceScalar(p + w);
            distances[i + 2] = kernel.DistanceScalar(p + 2 * w);
            distances[i + 3] = kernel.DistanceScalar(p + 3 * w);
        }
        for (; i < n; i++) distances[i] = kernel.DistanceScalar(codes + (nint)i * w);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DistancesVector128<TKernel>(TKernel kernel, ulong* codes, int n, int* distances)
        where TKernel : struct, ICodeKernel
    {
        int w = kernel.Words, i = 0;
        for (; i <= n - 4; i += 4)
        {
            ulong* p = codes + (nint)i * w;
            Vector128.Narrow(kernel.Distances2(p), kernel.Distances2(p + 2 * w)).AsInt32().Store(distances + i);
        }
        for (; i < n; i++) distances[i] = kernel.DistanceScalar(codes + (nint)i * w);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DistancesAvx2<TKernel>(TKernel kernel, ulong* codes, int n, int* distances)
        where TKernel : struct, ICodeKernel
    {
        int w = kernel.Words, i = 0;
        Vector256<int> evenInts = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        for (; i <= n - 8; i += 8)
        {
            ulong* p = codes + (nint)i * w;
            Vector256<ulong> d0 = kernel.Distances4(p);
            Vector256<ulong> d1 = kernel.Distances4(p + 4 * w);
            Avx2.PermuteVar8x32(d0.AsInt32(), evenInts).GetLower().Store(distances + i);
            Avx2.PermuteVar8x32(d1.AsInt32(), evenInts).GetLower().Store(distances + i + 4);
        }
        for (; i < n; i++) distances[i] = kernel.DistanceScalar(codes + (nint)i * w);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DistancesAvx512<TKernel>(TKernel kernel, ulong* codes, int n, int* distances)
        where TKernel : struct, ICodeKernel
    {
        int w = kernel.Words, i = 0;
        for (; i <= n - 16; i += 16)
        {
            ulong* p = codes + (nint)i * w;
            Vector512<ulong> d0 = kernel.InCodeOrder(kernel.Distances8(p));
            Vector512<ulong> d1 = kernel.InCodeOrder(kernel.Distances8(p + 8 * w));
            Avx512F.ConvertToVector256UInt32(d0).AsInt32().Store(distances + i);
            Avx512F.ConvertToVector256UInt32(d1).AsInt32().Store(distances + i + 8);
        }
        for (; i <= n - 8; i += 8)
            Avx512F.ConvertToVector256UInt32(kernel.InCodeOrder(kernel.Distances8(codes + (nint)i * w))).AsInt32().Store(distances + i);
        for (; i < n; i++) distances[i] = kernel.DistanceScalar(codes + (nint)i * w);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int CollectScalar<TKernel>(TKernel kernel, ulong* codes, int n, int maxDistance, int* indices, int* distances)
        where TKernel : struct, ICodeKernel
    {
        int w = kernel.Words, i = 0, found = 0;
        for (; i <= n - 4; i += 4)
        {
            ulong* p = codes + (nint)i * w;
            int d0 = kernel.DistanceScalar(p);
            int d1 = kernel.DistanceScalar(p + w);
            int d2 = kernel.DistanceScalar(p + 2 * w);
            int d3 = kernel.DistanceScalar(p + 3 * w);
            if (d0 <= maxDistance) { indices[found] = i; distances[found++] = d0; }
            if (d1 <= maxDistance) { indices[found] = i + 1; distances[found++] = d1; }
            if (d2 <= maxDistance) { indices[found] = i + 2; distances[found++] = d2; }
            if (d3 <= maxDistance) { indices[found] = i + 3; distances[found++] = d3; }
        }
        return CollectTail(kernel, codes, i, n, maxDistance, indices, distances, found);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int CollectVector128<TKernel>(TKernel kernel, ulong* codes, int n, int maxDistance, int* indices, int* distances)
        where TKernel : struct, ICodeKernel
    {
        int w = kernel.Words, i = 0, found = 0;
        // Distances and the bound are non-negative ints, so a signed compare serves.
        Vector128<int> limit = Vector128.Create(maxDistance);
        int* lanes = stackalloc int[8];
        for (; i <= n - 8; i += 8)
        {
            ulong* p = codes + (nint)i * w;
            Vector128<int> d0 = Vector128.Narrow(kernel.Distances2(p), kernel.Distances2(p + 2 * w)).AsInt32();
            Vector128<int> d1 = Vector128.Narrow(kernel.Distances2(p + 4 * w), kernel.Distances2(p + 6 * w)).AsInt32();
            uint over = Vector128.GreaterThan(d0, limit).ExtractMostSignificantBits()
                | Vector128.GreaterThan(d1, limit).ExtractMostSignificantBits() << 4;
            uint pass = ~over & 0xFF;
            if (pass != 0)
            {
                d0.Store(lanes);
                d1.Store(lanes + 4);
                do
                {
                    int j = BitOperations.TrailingZeroCount(pass);
                    indices[found] = i + j;
                    distances[found++] = lanes[j];
                    pass &= pass - 1;
                }
                while (pass != 0);
            }
        }
        return CollectTail(kernel, codes, i, n, maxDistance, indices, distances, found);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int CollectAvx2<TKernel>(TKernel kernel, ulong* codes, int n, int maxDistance, int* indices, int* distances)
        where TKernel : struct, ICodeKernel
    {
        int w = kernel.Words, i = 0, found = 0;
        Vector256<long> limit = Vector256.Create((long)maxDistance);
        ulong* lanes = stackalloc ulong[16];
        for (; i <= n - 16; i += 16)
        {
            ulong* p = codes + (nint)i * w;
            Vector256<ulong> d0 = kernel.Distances4(p);
            Vector256<ulong> d1 = kernel.Distances4(p + 4 * w);
            Vector256<ulong> d2 = kernel.Distances4(p + 8 * w);
            Vector256<ulong> d3 = kernel.Distances4(p + 12 * w);
            // AVX2 has only a signed greater-than; distances and the bound are small and non-negative.
            uint over = Vector256.GreaterThan(d0.AsInt64(), limit).ExtractMostSignificantBits()
                | Vector256.GreaterThan(d1.AsInt64(), limit).ExtractMostSignificantBits() << 4
                | Vector256.GreaterThan(d2.AsInt64(), limit).ExtractMostSignificantBits() << 8
                | Vector256.GreaterThan(d3.AsInt64(), limit).ExtractMostSignificantBits() << 12;
            uint pass = ~over & 0xFFFF;
            if (pass != 0)
            {
                d0.Store(lanes);
                d1.Store(lanes + 4);
                d2.Store(lanes + 8);
                d3.Store(lanes + 12);
                found = EmitPassing(pass, lanes, i, indices, distances, found);
            }
        }
        return CollectTail(kernel, codes, i, n, maxDistance, indices, distances, found);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int CollectAvx512<TKernel>(TKernel kernel, ulong* codes, int n, int maxDistance, int* indices, int* distances)
        where TKernel : struct, ICodeKernel
    {
        int w = kernel.Words, i = 0, found = 0;
        Vector512<ulong> limit = Vector512.Create((ulong)maxDistance);
        ulong* lanes = stackalloc ulong[32];
        for (; i <= n - 32; i += 32)
        {
            ulong* p = codes + (nint)i * w;
            Vector512<ulong> d0 = kernel.Distances8(p);
            Vector512<ulong> d1 = kernel.Distances8(p + 8 * w);
            Vector512<ulong> d2 = kernel.Distances8(p + 16 * w);
            Vector512<ulong> d3 = kernel.Distances8(p + 24 * w);
            // Lanes are in kernel order: whether any passes does not depend on it; the rare vectors
            // with a passing lane are put in code order before their mask is taken.
            ulong pass = Vector512.LessThanOrEqual(d0, limit).ExtractMostSignificantBits()
                | Vector512.LessThanOrEqual(d1, limit).ExtractMostSignificantBits() << 8
                | Vector512.LessThanOrEqual(d2, limit).ExtractMostSignificantBits() << 16
                | Vector512.LessThanOrEqual(d3, limit).ExtractMostSignificantBits() << 24;
            if (pass != 0)
            {
                d0 = kernel.InCodeOrder(d0);
                d1 = kernel.InCodeOrder(d1);
                d2 = kernel.InCodeOrder(d2);
                d3 = kernel.InCodeOrder(d3);
                pass = Vector512.LessThanOrEqual(d0, limit).ExtractMostSignificantBits()
                    | Vector512.LessThanOrEqual(d1, limit).ExtractMostSignificantBits() << 8
                    | Vector512.LessThanOrEqual(d2, limit).ExtractMostSignificantBits() << 16
                    | Vector512.LessThanOrEqual(d3, limit).ExtractMostSignificantBits() << 24;
                d0.Store(lanes);
                d1.Store(lanes + 8);
                d2.Store(lanes + 16);
                d3.Store(lanes + 24);
                found = EmitPassing((uint)pass, lanes, i, indices, distances, found);
            }
        }
        for (; i <= n - 8; i += 8)
        {
            Vector512<ulong> d = kernel.InCodeOrder(kernel.Distances8(codes + (nint)i * w));
            uint pass = (uint)Vector512.LessThanOrEqual(d, limit).ExtractMostSignificantBits();
            if (pass != 0)
            {
                d.Store(lanes);
                found = EmitPassing(pass, lanes, i, indices, distances, found);
            }
        }
        return CollectTail(kernel, codes, i, n, maxDistance, indices, distances, found);
    }

    /// <summary>Writes the codes whose bit is set in <paramref name="pass"/> (bit j = code first + j).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int EmitPassing(uint pass, ulong* lanes, int first, int* indices, int* distances, int found)
    {
        do
        {
            int j = BitOperations.TrailingZeroCount(pass);
            indices[found] = first + j;
            distances[found] = (int)lanes[j];
            found++;
            pass &= pass - 1;
        }
        while (pass != 0);
        return found;
    }

    private static int CollectTail<TKernel>(TKernel kernel, ulong* codes, int i, int n, int maxDistance, int* indices, int* distances, int found)
        where TKernel : struct, ICodeKernel
    {
        int w = kernel.Words;
        for (; i < n; i++)
        {
            int d = kernel.DistanceScalar(codes + (nint)i * w);
            if (d <= maxDistance) { indices[found] = i; distances[found++] = d; }
        }
        return found;
    }
}
