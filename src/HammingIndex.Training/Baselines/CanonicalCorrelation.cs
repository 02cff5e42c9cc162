using MathNet.Numerics.LinearAlgebra;

namespace HammingIndex.Training.Baselines;

/// <summary>
/// Canonical correlation analysis of paired rows (Hotelling 1936) with ridge regularisation: with
/// centred X (n x dx), Y (n x dy), Cxx = XᵀX/n + κ (tr(XᵀX/n)/dx) I, Cyy likewise and Cxy = XᵀY/n, the
/// SVD Cxx^-1/2 Cxy Cyy^-1/2 = U S Vᵀ gives Wx = Cxx^-1/2 U_k, Wy = Cyy^-1/2 V_k and the canonical
/// correlations S_k: Wx and Wy maximise corr(X wx, Y wy) column by column, with WxᵀCxxWx = WyᵀCyyWy = I.
/// </summary>
public sealed class CanonicalCorrelation
{
    private readonly double[] _imageMean, _textMean;
    private readonly Matrix<double> _wx, _wy;

    private CanonicalCorrelation(double[] imageMean, double[] textMean, Matrix<double> wx, Matrix<double> wy, double[] correlations)
    {
        _imageMean = imageMean; _textMean = textMean; _wx = wx; _wy = wy;
        Correlations = correlations;
    }

    /// <summary>k: number of canonical pairs.</summary>
    public int Dimensions => Correlations.Count;

    /// <summary>The canonical correlations, largest first.</summary>
    public IReadOnlyList<double> Correlations { get; }

    /// <summary>Wx (dx x k), row-major.</summary>
    public double[] ImageProjection => _wx.ToRowMajorArray();

    /// <summary>Wy (dy x k), row-major.</summary>
    public double[] TextProjection => _wy.ToRowMajorArray();

    /// <summary>Fits the first <paramref name="dimensions"/> canonical pairs.</summary>
    /// <param name="image">Image rows (one pair per row).</param>
    /// <param name="text">Text rows of the same pairs.</param>
    /// <param name="dimensions">k, 1..min(dx, dy).</param>
    /// <param name="regularization">κ ≥ 0: ridge added to each covariance, relative to its mean variance.</param>
    /// <exception cref="ArgumentException">No rows, row counts that disagree, or a NaN or infinite value (named).</exception>
    /// <exception cref="ArgumentOutOfRangeException">k outside 1..min(dx, dy), or κ negative or not finite.</exception>
    public static CanonicalCorrelation Fit(FeatureMatrix image, FeatureMatrix text, int dimensions, double regularization = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(text);
        int n = image.Rows, dx = image.Columns, dy = text.Columns;
        if (n == 0) throw new ArgumentException("No training pairs: image has 0 rows.", nameof(image));
        if (text.Rows != n) throw new ArgumentException($"text has {text.Rows} rows but image has {n}: rows are pairs and must agree.", nameof(text));
        if (dimensions < 1 || dimensions > Math.Min(dx, dy))
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, $"CCA gives between 1 and min(dx, dy) = {Math.Min(dx, dy)} pairs.");
        if (!(regularization >= 0) || !double.IsFinite(regularization))
            throw new ArgumentOutOfRangeException(nameof(regularization), regularization, "The regularisation must be finite and at least 0.");
        image.ThrowIfNotFinite(nameof(image));
        text.ThrowIfNotFinite(nameof(text));

        var (x, mx) = Centred(image);
        var (y, my) = Centred(text);
        Matrix<double> cxx = Covariance(x, x, n, regularization), cyy = Covariance(y, y, n, regularization);
        Matrix<double> cxy = CrossProduct(x, y, n);
        Matrix<double> ix = InverseSqrt(cxx), iy = InverseSqrt(cyy);
        // The SVD M = U S Vᵀ of M = Cxx^-1/2 Cxy Cyy^-1/2 through the symmetric eigenproblem M Mᵀ = U S² Uᵀ
        // (much faster than MathNet's managed SVD), then v_j = Mᵀ u_j / s_j.
        Matrix<double> m = ix * cxy * iy;
        Matrix<double> mmt = m.TransposeAndMultiply(m);
        var evd = ((mmt + mmt.Transpose()) * 0.5).Evd(Symmetricity.Symmetric);
        int[] order = Enumerable.Range(0, dx).OrderByDescending(j => evd.EigenValues[j].Real).ThenBy(j => j).ToArray();
        Matrix<double> u = Matrix<double>.Build.Dense(dx, dimensions), v = Matrix<double>.Build.Dense(dy, dimensions);
        var correlations = new double[dimensions];
        for (int c = 0; c < dimensions; c++)
        {
            Vector<double> uc = evd.EigenVectors.Column(order[c]);
            Vector<double> mu = m.TransposeThisAndMultiply(uc);
            double sc = mu.L2Norm();
            correlations[c] = sc;
            u.SetColumn(c, uc);
            if (sc > 1e-12) v.SetColumn(c, mu / sc);
        }
        return new CanonicalCorrelation(mx, my, ix * u, iy * v, correlations);
    }

    /// <summary>(x - mean) Wx for every image row: rows x k, row-major.</summary>
    public double[] ProjectImages(FeatureMatrix rows) => Project(rows, _imageMean, _wx, nameof(rows));

    /// <summary>(y - mean) Wy for every text row: rows x k, row-major.</summary>
    public double[] ProjectTexts(FeatureMatrix rows) => Project(rows, _textMean, _wy, nameof(rows));

    internal static Matrix<double> InverseSqrt(Matrix<double> symmetric)
    {
        var evd = symmetric.Evd(Symmetricity.Symmetric);
        var scale = evd.EigenValues.Select(e => e.Real > 1e-12 ? 1 / Math.Sqrt(e.Real) : 0).ToArray();
        return evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalArray(scale) * evd.EigenVectors.Transpose();
    }

    internal static Matrix<double> Covariance(Matrix<double> a, Matrix<double> b, int n, double regularization)
    {
        Matrix<double> c = CrossProduct(a, b, n);
        double ridge = regularization * c.Trace() / c.RowCount;
        for (int j = 0; j < c.RowCount; j++) c[j, j] += ridge;
        return c;
    }

    /// <summary>AᵀB / n with the trainer's vectorized product (the n-long sums dominate CCA's cost).</summary>
    private static Matrix<double> CrossProduct(Matrix<double> a, Matrix<double> b, int n)
    {
        double[] ra = a.ToRowMajorArray(), rb = ReferenceEquals(a, b) ? ra : b.ToRowMajorArray();
        var c = new double[a.ColumnCount * b.ColumnCount];
        Scratch.MatrixProducts.TransposeMultiplyAdd(ra, rb, c, a.ColumnCount, n, b.ColumnCount);
        return Matrix<double>.Build.DenseOfRowMajor(a.ColumnCount, b.ColumnCount, c) / n;
    }

    private static (Matrix<double> Centred, double[] Mean) Centred(FeatureMatrix m)
    {
        int n = m.Rows, d = m.Columns;
        var mean = new double[d];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> row = m.Row(i);
            for (int j = 0; j < d; j++) mean[j] += row[j] / n;
        }
        return (Subtract(m, mean), mean);
    }

    private static Matrix<double> Subtract(FeatureMatrix m, double[] mean)
    {
        int n = m.Rows, d = m.Columns;
        var values = new double[(long)n * d];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> row = m.Row(i);
            for (int j = 0; j < d; j++) values[i * d + j] = row[j] - mean[j];
        }
        return Matrix<double>.Build.DenseOfRowMajor(n, d, values);
    }

    private static double[] Project(FeatureMatrix rows, double[] mean, Matrix<double> w, string paramName)
    {
        ArgumentNullException.ThrowIfNull(rows, paramName);
        if (rows.Columns != mean.Length)
            throw new ArgumentException($"The projection expects {mean.Length} features per row, but the matrix has {rows.Columns}.", paramName);
        rows.ThrowIfNotFinite(paramName);
        if (rows.Rows == 0) return [];
        return (Subtract(rows, mean) * w).ToRowMajorArray();
    }
}
