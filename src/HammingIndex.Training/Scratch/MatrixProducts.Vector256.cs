using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HammingIndex.Training.Scratch;

internal static partial class MatrixProducts
{
    /// <summary>The tiles on Vector256&lt;double&gt;: 4 rows x 8 columns (8 accumulators), then 4 x 4 and 1 x 4.</summary>
    private readonly struct Vector256Tiles : ITiles
    {
        public static int Lanes => 4;

        public static int WideColumns => 8;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Wide(ref double a, int rs, int ks, ref double b, int ldb, ref double c, int ldc, int kc)
        {
            // 4 rows x 2 vectors: 8 accumulators + 2 rows of B + 1 broadcast fit the 16 registers of x86
            // without AVX-512 (4 x 4 would spill).
            ref double c1 = ref Unsafe.Add(ref c, ldc);
            ref double c2 = ref Unsafe.Add(ref c, 2 * (nint)ldc);
            ref double c3 = ref Unsafe.Add(ref c, 3 * (nint)ldc);
            Vector256<double> s00 = Vector256.LoadUnsafe(ref c), s01 = Vector256.LoadUnsafe(ref c, 4);
            Vector256<double> s10 = Vector256.LoadUnsafe(ref c1), s11 = Vector256.LoadUnsafe(ref c1, 4);
            Vector256<double> s20 = Vector256.LoadUnsafe(ref c2), s21 = Vector256.LoadUnsafe(ref c2, 4);
            Vector256<double> s30 = Vector256.LoadUnsafe(ref c3), s31 = Vector256.LoadUnsafe(ref c3, 4);
            nint rs1 = rs, rs2 = 2 * (nint)rs, rs3 = 3 * (nint)rs;
            for (int p = 0; p < kc; p++)
            {
                ref double bRow = ref Unsafe.Add(ref b, (nint)p * ldb);
                Vector256<double> b0 = Vector256.LoadUnsafe(ref bRow), b1 = Vector256.LoadUnsafe(ref bRow, 4);
                ref double ap = ref Unsafe.Add(ref a, (nint)p * ks);
                Vector256<double> x = Vector256.Create(ap);
                s00 = Vector256.FusedMultiplyAdd(x, b0, s00); s01 = Vector256.FusedMultiplyAdd(x, b1, s01);
                x = Vector256.Create(Unsafe.Add(ref ap, rs1));
                s10 = Vector256.FusedMultiplyAdd(x, b0, s10); s11 = Vector256.FusedMultiplyAdd(x, b1, s11);
                x = Vector256.Create(Unsafe.Add(ref ap, rs2));
                s20 = Vector256.FusedMultiplyAdd(x, b0, s20); s21 = Vector256.FusedMultiplyAdd(x, b1, s21);
                x = Vector256.Create(Unsafe.Add(ref ap, rs3));
                s30 = Vector256.FusedMultiplyAdd(x, b0, s30); s31 = Vector256.FusedMultiplyAdd(x, b1, s31);
            }
            s00.StoreUnsafe(ref c); s01.StoreUnsafe(ref c, 4);
            s10.StoreUnsafe(ref c1); s11.StoreUnsafe(ref c1, 4);
            s20.StoreUnsafe(ref c2); s21.StoreUnsafe(ref c2, 4);
            s30.StoreUnsafe(ref c3); s31.StoreUnsafe(ref c3, 4);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Four(ref double a, int rs, int ks, ref double b, int ldb, ref double c, int ldc, int kc)
        {
            ref double c1 = ref Unsafe.Add(ref c, ldc);
            ref double c2 = ref Unsafe.Add(ref c, 2 * (nint)ldc);
            ref double c3 = ref Unsafe.Add(ref c, 3 * (nint)ldc);
            Vector256<double> s0 = Vector256.LoadUnsafe(ref c), s1 = Vector256.LoadUnsafe(ref c1), s2 = Vector256.LoadUnsafe(ref c2), s3 = Vector256.LoadUnsafe(ref c3);
            nint rs1 = rs, rs2 = 2 * (nint)rs, rs3 = 3 * (nint)rs;
            for (int p = 0; p < kc; p++)
            {
                Vector256<double> bv = Vector256.LoadUnsafe(ref Unsafe.Add(ref b, (nint)p * ldb));
                ref double ap = ref Unsafe.Add(ref a, (nint)p * ks);
                s0 = Vector256.FusedMultiplyAdd(Vector256.Create(ap), bv, s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref ap, rs1)), bv, s1);
                s2 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref ap, rs2)), bv, s2);
                s3 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref ap, rs3)), bv, s3);
            }
            s0.StoreUnsafe(ref c); s1.StoreUnsafe(ref c1); s2.StoreUnsafe(ref c2); s3.StoreUnsafe(ref c3);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void One(ref double a, int ks, ref double b, int ldb, ref double c, int kc)
        {
            Vector256<double> s = Vector256.LoadUnsafe(ref c);
            for (int p = 0; p < kc; p++)
                s = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a, (nint)p * ks)), Vector256.LoadUnsafe(ref Unsafe.Add(ref b, (nint)p * ldb)), s);
            s.StoreUnsafe(ref c);
        }
    }
}
