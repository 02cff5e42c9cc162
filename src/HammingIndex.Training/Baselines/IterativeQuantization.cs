using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace HammingIndex.Training.Baselines;

/// <summary>
/// Iterative quantisation (Gong and Lazebnik, CVPR 2011): for centred, projected rows V (n x r),
/// find the orthogonal R (r x r) and codes B ∈ {-1, +1}^{n x r} minimising the quantisation loss
/// ||B - V R||²_F by alternating B = sign(V R) with the orthogonal Procrustes step R = U Wᵀ from the
/// SVD Vᵀ B = U Σ Wᵀ. Each step minimises the loss over one block, so it never increases.
/// </summary>
public static class IterativeQuantization
{
    /// <summary>Learns the rotation.</summary>
    /// <param name="v">V, n x r, row-major (centred).</param>
    /// <param name="rows">n.</param>
    /// <param name="bits">r.</param>
    /// <param name="iterations">Alternations, at least 0 (0 returns the random initial rotation).</param>
    /// <param name="seed">Seed of the random orthogonal start (left singular vectors of a Gaussian matrix).</param>
    /// <returns>R (r x r, row-major) and the loss ||B - V R||² after each iteration.</returns>
    /// <exception cref="ArgumentException">V's length is not rows x bits, or it holds NaN or infinity.</exception>
    /// <exception cref="ArgumentOutOfRangeException">rows or bits below 1, or iterations negative.</exception>
    public static (double[] Rotation, double[] Losses) Fit(double[] v, int rows, int bits, int iterations = 50, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "At least one row is needed.");
        if (bits < 1) throw new ArgumentOutOfRangeException(nameof(bits), bits, "At least one bit is needed.");
        if (iterations < 0) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "Must not be negative.");
        if (v.Length != (long)rows * bits) throw new ArgumentException($"V holds {v.Length} values, not {rows} x {bits}.", nameof(v));
        for (int k = 0; k < v.Length; k++)
            if (!double.IsFinite(v[k])) throw new ArgumentException($"Value {v[k]} at row {k / bits}, column {k % bits} is not finite.", nameof(v));

        Matrix<double> vm = Matrix<double>.Build.DenseOfRowMajor(rows, bits, v);
        var gaussian = new double[bits * bits];
        Normal.Samples(new Random(seed), gaussian, 0, 1);
        Matrix<double> r = Matrix<double>.Build.DenseOfRowMajor(bits, bits, gaussian).Svd(true).U;
        var losses = new double[iterations];
        for (int it = 0; it < iterations; it++)
        {
            Matrix<double> b = (vm * r).Map(x => x >= 0 ? 1.0 : -1.0);
            var svd = vm.TransposeThisAndMultiply(b).Svd(true);
            r = Orthonormalized(svd.U * svd.VT);
            losses[it] = SquaredDistance(b, vm * r);
        }
        return (r.ToRowMajorArray(), losses);
    }

    /// <summary>
    /// R refined towards the nearest orthogonal matrix by Newton–Schulz steps, R ← R (3I − RᵀR) / 2,
    /// each squaring the error, until RᵀR is the identity to 1e-13 (at most 16 steps): when VᵀB is
    /// rank-deficient (fewer rows than bits) MathNet's singular vectors of its zero singular values
    /// are not orthonormal (off by ~1e-8 at a few rows short; by ~0.1 for one row of 19 bits, where two
    /// fixed steps left 3e-4), and the rotation must be one. Should the steps not converge (an error
    /// past their basin), the columns are first made orthonormal by a QR factorisation, signs kept.
    /// </summary>
    private static Matrix<double> Orthonormalized(Matrix<double> r)
    {
        Matrix<double> identity = Matrix<double>.Build.DenseIdentity(r.RowCount);
        Matrix<double> refined = NewtonSchulz(r, identity, out double error);
        if (error <= 1e-13) return refined;
        var qr = r.QR();
        Matrix<double> q = qr.Q.Clone();
        for (int c = 0; c < q.ColumnCount; c++)
            if (qr.R[c, c] < 0) q.SetColumn(c, -q.Column(c)); // Q with R's diagonal positive: the factor nearest r's own columns
        return NewtonSchulz(q, identity, out _);
    }

    /// <summary>
    /// At most 16 Newton–Schulz steps, stopping once RᵀR is the identity to 1e-13 or a step diverges;
    /// <paramref name="error"/> is the largest entry of |RᵀR − I| of the R returned (RᵀR is formed once
    /// a step, for both the test and the step).
    /// </summary>
    private static Matrix<double> NewtonSchulz(Matrix<double> r, Matrix<double> identity, out double error)
    {
        for (int step = 0; ; step++)
        {
            Matrix<double> gram = r.TransposeThisAndMultiply(r);
            error = (gram - identity).Enumerate().Max(Math.Abs);
            if (error <= 1e-13 || step == 16) return r;
            Matrix<double> next = r * (3 * identity - gram) / 2;
            if (!next.Enumerate().All(double.IsFinite)) return r; // outside the basin: diverging
            r = next;
        }
    }

    /// <summary>||sign(V R) - V R||²_F: the loss of the codes R itself gives.</summary>
    public static double Loss(double[] v, int rows, int bits, double[] rotation)
    {
        Matrix<double> vr = Matrix<double>.Build.DenseOfRowMajor(rows, bits, v) * Matrix<double>.Build.DenseOfRowMajor(bits, bits, rotation);
        return SquaredDistance(vr.Map(x => x >= 0 ? 1.0 : -1.0), vr);
    }

    /// <summary>
    /// ||A - B||²_F summed entry by entry. (MathNet's managed FrobeniusNorm forms the n x n product
    /// A Aᵀ, which made one ITQ fit on 8,764 rows take minutes and gigabytes.)
    /// </summary>
    private static double SquaredDistance(Matrix<double> a, Matrix<double> b)
    {
        double[] x = a.AsColumnMajorArray() ?? a.ToColumnMajorArray(), y = b.AsColumnMajorArray() ?? b.ToColumnMajorArray();
        double sum = 0;
        for (int k = 0; k < x.Length; k++) sum += (x[k] - y[k]) * (x[k] - y[k]);
        return sum;
    }
}
