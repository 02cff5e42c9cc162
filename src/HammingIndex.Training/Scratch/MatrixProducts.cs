using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HammingIndex.Training.Scratch;

/// <summary>
/// Blocked, vectorized dense products for the trainer: C (m x n) += Â (m x k) * B (k x n), where B
/// and C are row-major and Â is read through two strides, so one kernel serves both A*B
/// (rowStride = k-dimension length, kStride = 1) and Aᵀ*B (rowStride = 1, kStride = row length).
/// Register tiles of 4 rows x 4 vectors (Vector512: 16 of the 32 registers) or 4 rows x 2 vectors
/// (Vector256, Vector128: 8 accumulators, within x86's 16 registers) on the widest accelerated
/// vector: Vector512, else Vector256, else Vector128 (Arm64 AdvSimd, x86 SSE), else a scalar loop
/// (<see cref="BestPath"/>). Every path sums each element in the same order with fused
/// multiply-adds, so all give identical results. Single-threaded: callers parallelize over
/// independent output blocks or sample chunks.
/// </summary>
internal static partial class MatrixProducts
{
    private const int KBlock = 256;

    /// <summary>The instruction set of a product.</summary>
    internal enum ProductPath
    {
        Scalar,
        Vector128,
        Vector256,
        Vector512,
    }

    /// <summary>The widest vector this process accelerates (follows <c>DOTNET_EnableAVX512</c> and friends).</summary>
    internal static readonly ProductPath BestPath =
        Vector512.IsHardwareAccelerated ? ProductPath.Vector512
        : Vector256.IsHardwareAccelerated ? ProductPath.Vector256
        : Vector128.IsHardwareAccelerated ? ProductPath.Vector128
        : ProductPath.Scalar;

    /// <summary>c[i*ldc + j] += Σ_p a[i*aRowStride + p*aKStride] * b[p*ldb + j] for i &lt; m, p &lt; k, j &lt; n.</summary>
    public static void MultiplyAdd(ReadOnlySpan<double> a, int aRowStride, int aKStride,
        ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc, int m, int k, int n) =>
        MultiplyAdd(a, aRowStride, aKStride, b, ldb, c, ldc, m, k, n, BestPath);

    /// <summary><see cref="MultiplyAdd(ReadOnlySpan{double}, int, int, ReadOnlySpan{double}, int, Span{double}, int, int, int, int)"/>
    /// on a given path (tests run every path; a path the CPU does not accelerate runs in software).</summary>
    internal static void MultiplyAdd(ReadOnlySpan<double> a, int aRowStride, int aKStride,
        ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc, int m, int k, int n, ProductPath path)
    {
        if (m <= 0 || k <= 0 || n <= 0) return;
        if ((long)(m - 1) * aRowStride + (long)(k - 1) * aKStride >= a.Length || aRowStride < 0 || aKStride < 0)
            throw new ArgumentException("Matrix A is too short for the given shape and strides.", nameof(a));
        if ((long)(k - 1) * ldb + n > b.Length || ldb < n)
            throw new ArgumentException("Matrix B is too short for the given shape.", nameof(b));
        if ((long)(m - 1) * ldc + n > c.Length || ldc < n)
            throw new ArgumentException("Matrix C is too short for the given shape.", nameof(c));

        ref double a0 = ref MemoryMarshal.GetReference(a);
        ref double b0 = ref MemoryMarshal.GetReference(b);
        ref double c0 = ref MemoryMarshal.GetReference(c);
        switch (path)
        {
            case ProductPath.Vector512: MultiplyAddTiled<Vector512Tiles>(ref a0, aRowStride, aKStride, ref b0, ldb, ref c0, ldc, m, k, n); break;
            case ProductPath.Vector256: MultiplyAddTiled<Vector256Tiles>(ref a0, aRowStride, aKStride, ref b0, ldb, ref c0, ldc, m, k, n); break;
            case ProductPath.Vector128: MultiplyAddTiled<Vector128Tiles>(ref a0, aRowStride, aKStride, ref b0, ldb, ref c0, ldc, m, k, n); break;
            default: MultiplyAddScalar(ref a0, aRowStride, aKStride, ref b0, ldb, ref c0, ldc, m, k, n); break;
        }
    }

    /// <summary>C (m x n) = A (m x k) * B (k x n), all row-major and dense; C is overwritten.</summary>
    public static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n)
    {
        c.Slice(0, m * n).Clear();
        MultiplyAdd(a, k, 1, b, n, c, n, m, k, n);
    }

    /// <summary>C (m x n) = A (m x k) * B (k x n), dense row-major, with row tiles of C in parallel (deterministic).</summary>
    public static void MultiplyParallel(double[] a, double[] b, double[] c, int m, int k, int n, int maxDegreeOfParallelism)
    {
        const int Tile = 32;
        int tiles = (m + Tile - 1) / Tile;
        Parallel.For(0, tiles, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism <= 0 ? -1 : maxDegreeOfParallelism }, t =>
        {
            int i0 = t * Tile, rows = Math.Min(Tile, m - i0);
            Multiply(a.AsSpan(i0 * k, rows * k), b, c.AsSpan(i0 * n, rows * n), rows, k, n);
        });
    }

    /// <summary>C (m x n) += Aᵀ * B where A is k x m and B is k x n, all row-major and dense.</summary>
    public static void TransposeMultiplyAdd(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int m, int k, int n) =>
        MultiplyAdd(a, 1, m, b, n, c, n, m, k, n);

    /// <summary>The register tiles of one vector width; <see cref="MultiplyAddTiled{TTiles}"/> is specialized per width.</summary>
    private interface ITiles
    {
        /// <summary>Doubles per vector: the columns of <see cref="Four"/> and <see cref="One"/>.</summary>
        static abstract int Lanes { get; }

        /// <summary>Columns of <see cref="Wide"/>.</summary>
        static abstract int WideColumns { get; }

        /// <summary>C[4 x WideColumns] += A[4 x kc] B[kc x WideColumns].</summary>
        static abstract void Wide(ref double a, int rs, int ks, ref double b, int ldb, ref double c, int ldc, int kc);

        /// <summary>C[4 x Lanes] += A[4 x kc] B[kc x Lanes].</summary>
        static abstract void Four(ref double a, int rs, int ks, ref double b, int ldb, ref double c, int ldc, int kc);

        /// <summary>C[1 x Lanes] += A[1 x kc] B[kc x Lanes].</summary>
        static abstract void One(ref double a, int ks, ref double b, int ldb, ref double c, int kc);
    }

    /// <summary>The blocked product with <typeparamref name="TTiles"/>: k in blocks of <see cref="KBlock"/>, rows by 4, columns by the
    /// wide tile, then one vector, then scalar; the last rows one at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAddTiled<TTiles>(ref double a0, int aRowStride, int aKStride, ref double b0, int ldb, ref double c0, int ldc, int m, int k, int n)
        where TTiles : struct, ITiles
    {
        for (int p0 = 0; p0 < k; p0 += KBlock)
        {
            int kc = Math.Min(KBlock, k - p0);
            ref double ap = ref Unsafe.Add(ref a0, (nint)p0 * aKStride);
            ref double bp = ref Unsafe.Add(ref b0, (nint)p0 * ldb);
            int i = 0;
            for (; i + 4 <= m; i += 4)
            {
                ref double ai = ref Unsafe.Add(ref ap, (nint)i * aRowStride);
                ref double ci = ref Unsafe.Add(ref c0, (nint)i * ldc);
                int j = 0;
                for (; j + TTiles.WideColumns <= n; j += TTiles.WideColumns)
                    TTiles.Wide(ref ai, aRowStride, aKStride, ref Unsafe.Add(ref bp, j), ldb, ref Unsafe.Add(ref ci, j), ldc, kc);
                for (; j + TTiles.Lanes <= n; j += TTiles.Lanes)
                    TTiles.Four(ref ai, aRowStride, aKStride, ref Unsafe.Add(ref bp, j), ldb, ref Unsafe.Add(ref ci, j), ldc, kc);
                for (int r = 0; r < 4 && j < n; r++)
                    ScalarRow(ref Unsafe.Add(ref ai, (nint)r * aRowStride), aKStride, ref bp, ldb, ref Unsafe.Add(ref ci, (nint)r * ldc), j, n, kc);
            }
            for (; i < m; i++)
            {
                ref double ai = ref Unsafe.Add(ref ap, (nint)i * aRowStride);
                ref double ci = ref Unsafe.Add(ref c0, (nint)i * ldc);
                int j = 0;
                for (; j + TTiles.Lanes <= n; j += TTiles.Lanes)
                    TTiles.One(ref ai, aKStride, ref Unsafe.Add(ref bp, j), ldb, ref Unsafe.Add(ref ci, j), kc);
                if (j < n)
                    ScalarRow(ref ai, aKStride, ref bp, ldb, ref ci, j, n, kc);
            }
        }
    }

    /// <summary>The product without vectors: for each row of C, rank-1 updates by the rows of B (contiguous in j).</summary>
    private static void MultiplyAddScalar(ref double a, int rs, int ks, ref double b, int ldb, ref double c, int ldc, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
        {
            ref double ci = ref Unsafe.Add(ref c, (nint)i * ldc);
            ref double ai = ref Unsafe.Add(ref a, (nint)i * rs);
            for (int p = 0; p < k; p++)
            {
                double x = Unsafe.Add(ref ai, (nint)p * ks);
                ref double bp = ref Unsafe.Add(ref b, (nint)p * ldb);
                for (int j = 0; j < n; j++)
                    Unsafe.Add(ref ci, j) = Math.FusedMultiplyAdd(x, Unsafe.Add(ref bp, j), Unsafe.Add(ref ci, j));
            }
        }
    }

    private static void ScalarRow(ref double a, int ks, ref double b, int ldb, ref double c, int jStart, int n, int kc)
    {
        for (int j = jStart; j < n; j++)
        {
            double s = Unsafe.Add(ref c, j);
            for (int p = 0; p < kc; p++)
                s = Math.FusedMultiplyAdd(Unsafe.Add(ref a, (nint)p * ks), Unsafe.Add(ref b, (nint)p * ldb + j), s);
            Unsafe.Add(ref c, j) = s;
        }
    }
}
