using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HammingIndex.Training.Scratch;

internal static partial class MatrixProducts
{
    /// <summary>The tiles on Vector512&lt;double&gt;: 4 rows x 32 columns (16 accumulators), then 4 x 8 and 1 x 8.</summary>
    private readonly struct Vector512Tiles : ITiles
    {
        public static int Lanes => 8;

        public static int WideColumns => 32;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Wide(ref double a, int rs, int ks, ref double b, int ldb, ref double c, int ldc, int kc)
        {
            ref double c1 = ref Unsafe.Add(ref c, ldc);
            ref double c2 = ref Unsafe.Add(ref c, 2 * (nint)ldc);
            ref double c3 = ref Unsafe.Add(ref c, 3 * (nint)ldc);
            Vector512<double> s00 = Vector512.LoadUnsafe(ref c), s01 = Vector512.LoadUnsafe(ref c, 8), s02 = Vector512.LoadUnsafe(ref c, 16), s03 = Vector512.LoadUnsafe(ref c, 24);
            Vector512<double> s10 = Vector512.LoadUnsafe(ref c1), s11 = Vector512.LoadUnsafe(ref c1, 8), s12 = Vector512.LoadUnsafe(ref c1, 16), s13 = Vector512.LoadUnsafe(ref c1, 24);
            Vector512<double> s20 = Vector512.LoadUnsafe(ref c2), s21 = Vector512.LoadUnsafe(ref c2, 8), s22 = Vector512.LoadUnsafe(ref c2, 16), s23 = Vector512.LoadUnsafe(ref c2, 24);
            Vector512<double> s30 = Vector512.LoadUnsafe(ref c3), s31 = Vector512.LoadUnsafe(ref c3, 8), s32 = Vector512.LoadUnsafe(ref c3, 16), s33 = Vector512.LoadUnsafe(ref c3, 24);
            nint rs1 = rs, rs2 = 2 * (nint)rs, rs3 = 3 * (nint)rs;
            for (int p = 0; p < kc; p++)
            {
                ref double bRow = ref Unsafe.Add(ref b, (nint)p * ldb);
                Vector512<double> b0 = Vector512.LoadUnsafe(ref bRow), b1 = Vector512.LoadUnsafe(ref bRow, 8), b2 = Vector512.LoadUnsafe(ref bRow, 16), b3 = Vector512.LoadUnsafe(ref bRow, 24);
                ref double ap = ref Unsafe.Add(ref a, (nint)p * ks);
                Vector512<double> x = Vector512.Create(ap);
                s00 = Vector512.FusedMultiplyAdd(x, b0, s00); s01 = Vector512.FusedMultiplyAdd(x, b1, s01); s02 = Vector512.FusedMultiplyAdd(x, b2, s02); s03 = Vector512.FusedMultiplyAdd(x, b3, s03);
                x = Vector512.Create(Unsafe.Add(ref ap, rs1));
                s10 = Vector512.FusedMultiplyAdd(x, b0, s10); s11 = Vector512.FusedMultiplyAdd(x, b1, s11); s12 = Vector512.FusedMultiplyAdd(x, b2, s12); s13 = Vector512.FusedMultiplyAdd(x, b3, s13);
                x = Vector512.Create(Unsafe.Add(ref ap, rs2));
                s20 = Vector512.FusedMultiplyAdd(x, b0, s20); s21 = Vector512.FusedMultiplyAdd(x, b1, s21); s22 = Vector512.FusedMultiplyAdd(x, b2, s22); s23 = Vector512.FusedMultiplyAdd(x, b3, s23);
                x = Vector512.Create(Unsafe.Add(ref ap, rs3));
                s30 = Vector512.FusedMultiplyAdd(x, b0, s30); s31 = Vector512.FusedMultiplyAdd(x, b1, s31); s32 = Vector512.FusedMultiplyAdd(x, b2, s32); s33 = Vector512.FusedMultiplyAdd(x, b3, s33);
            }
            s00.StoreUnsafe(ref c); s01.StoreUnsafe(ref c, 8); s02.StoreUnsafe(ref c, 16); s03.StoreUnsafe(ref c, 24);
            s10.StoreUnsafe(ref c1); s11.StoreUnsafe(ref c1, 8); s12.StoreUnsafe(ref c1, 16); s13.StoreUnsafe(ref c1, 24);
            s20.StoreUnsafe(ref c2); s21.StoreUnsafe(ref c2, 8); s22.StoreUnsafe(ref c2, 16); s23.StoreUnsafe(ref c2, 24);
            s30.StoreUnsafe(ref c3); s31.StoreUnsafe(ref c3, 8); s32.StoreUnsafe(ref c3, 16); s33.StoreUnsafe(ref c3, 24);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Four(ref double a, int rs, int ks, ref double b, int ldb, ref double c, int ldc, int kc)
        {
            ref double c1 = ref Unsafe.Add(ref c, ldc);
            ref double c2 = ref Unsafe.Add(ref c, 2 * (nint)ldc);
            ref double c3 = ref Unsafe.Add(ref c, 3 * (nint)ldc);
            Vector512<double> s0 = Vector512.LoadUnsafe(ref c), s1 = Vector512.LoadUnsafe(ref c1), s2 = Vector512.LoadUnsafe(ref c2), s3 = Vector512.LoadUnsafe(ref c3);
            nint rs1 = rs, rs2 = 2 * (nint)rs, rs3 = 3 * (nint)rs;
            for (int p = 0; p < kc; p++)
            {
                Vector512<double> bv = Vector512.LoadUnsafe(ref Unsafe.Add(ref b, (nint)p * ldb));
                ref double ap = ref Unsafe.Add(ref a, (nint)p * ks);
                s0 = Vector512.FusedMultiplyAdd(Vector512.Create(ap), bv, s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ap, rs1)), bv, s1);
                s2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ap, rs2)), bv, s2);
                s3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref ap, rs3)), bv, s3);
            }
            s0.StoreUnsafe(ref c); s1.StoreUnsafe(ref c1); s2.StoreUnsafe(ref c2); s3.StoreUnsafe(ref c3);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void One(ref double a, int ks, ref double b, int ldb, ref double c, int kc)
        {
            Vector512<double> s = Vector512.LoadUnsafe(ref c);
            for (int p = 0; p < kc; p++)
                s = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, (nint)p * ks)), Vector512.LoadUnsafe(ref Unsafe.Add(ref b, (nint)p * ldb)), s);
            s.StoreUnsafe(ref c);
        }
    }
}
