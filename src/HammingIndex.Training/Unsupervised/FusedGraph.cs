using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace HammingIndex.Training.Unsupervised;

/// <summary>
/// The fused cross-modal graph in factored form. With Q = [Z_x Λ_x^-1/2, Z_y Λ_y^-1/2] (n x m',
/// m' = m_x + m_y, 2s non-zeros per row) each modality's anchor graph is A_u = Q_u Q_uᵀ, and
/// <list type="bullet">
/// <item>local rebasing (neighbours-of-neighbours): Ã_u = (1 - ρ) A_u + ρ A_u² = Q_u C_u Q_uᵀ with C_u = (1 - ρ) I + ρ Q_uᵀ Q_u;</item>
/// <item>joint similarity: S = w Ã_x + (1 - w) Ã_y = Q K Qᵀ, K = blockdiag(w C_x, (1 - w) C_y);</item>
/// <item>second-order reconstruction: S + η S Sᵀ = Q H Qᵀ, H = K + η K (QᵀQ) K;</item>
/// <item>normalisation: Ŝ = D^-1/2 Q H Qᵀ D^-1/2 with D = diag(Q H Qᵀ 1), i.e. Ŝ = Q̂ H Q̂ᵀ, Q̂ = D^-1/2 Q.</item>
/// </list>
/// Every matrix is symmetric and entry-wise non-negative, and only m' x m' matrices are ever dense:
/// building costs O(n s²  + m'³) time and O(n s + m'²) memory. <see cref="Embedding"/> returns the
/// graph's low-rank factor F (leading non-trivial eigenvectors of Ŝ scaled by √eigenvalue).
/// </summary>
internal sealed class FusedGraph
{
    private readonly AnchorGraph _x, _y;
    private readonly int _mx, _m;
    private readonly Matrix<double> _h;          // H (m' x m')
    private readonly double[] _inverseSqrtDegree; // D^-1/2 (n)

    public FusedGraph(AnchorGraph image, AnchorGraph text, UnsupervisedOptions options)
    {
        if (image.Rows != text.Rows) throw new ArgumentException($"The graphs have {image.Rows} and {text.Rows} rows.", nameof(text));
        _x = image; _y = text;
        _mx = image.AnchorCount;
        _m = image.AnchorCount + text.AnchorCount;
        Rows = image.Rows;
        double rho = options.NeighbourWeight, w = options.ImageWeight, eta = options.SecondOrderWeight;

        var ones = new double[Rows];
        Array.Fill(ones, 1.0);
        Matrix<double> g = Gram(ones);                       // QᵀQ
        var k = Matrix<double>.Build.Dense(_m, _m);
        for (int a = 0; a < _m; a++)
        {
            bool isImage = a < _mx;
            double weight = isImage ? w : 1 - w;
            for (int b = isImage ? 0 : _mx; b < (isImage ? _mx : _m); b++)
                k[a, b] = weight * (rho * g[a, b] + (a == b ? 1 - rho : 0));
        }
        _h = eta == 0 ? k : k + eta * (k * g * k);
        _h = (_h + _h.Transpose()) * 0.5; // exact symmetry against rounding

        // d = Q H Qᵀ 1 = Q (H (Qᵀ 1)).
        var q1 = new double[_m];
        Span<int> index = stackalloc int[EntriesPerRow];
        Span<double> value = stackalloc double[EntriesPerRow];
        for (int i = 0; i < Rows; i++)
        {
            int count = Entries(i, index, value);
            for (int e = 0; e < count; e++) q1[index[e]] += value[e];
        }
        double[] hq1 = (_h * Vector<double>.Build.Dense(q1)).ToArray();
        _inverseSqrtDegree = new double[Rows];
        for (int i = 0; i < Rows; i++)
        {
            int count = Entries(i, index, value);
            double degree = 0;
            for (int e = 0; e < count; e++) degree += value[e] * hq1[index[e]];
            _inverseSqrtDegree[i] = degree > 0 ? 1 / Math.Sqrt(degree) : 0;
        }
    }

    /// <summary>n.</summary>
    public int Rows { get; }

    /// <summary>
    /// F (n x k, row-major): the k leading eigenvectors of Ŝ after the trivial one (eigenvalue 1,
    /// D^1/2 1), each scaled by the square root of its eigenvalue, so F Fᵀ is the best rank-k
    /// approximation of Ŝ without its constant part; then F is scaled so its mean squared row norm
    /// is 1 (the scale of a one-hot label row). Also returns the k eigenvalues, largest first.
    /// </summary>
    public (double[] Factor, double[] Eigenvalues) Embedding(int k)
    {
        if (k < 1 || k > _m - 1) throw new ArgumentOutOfRangeException(nameof(k), k, $"The embedding needs between 1 and {_m - 1} columns.");
        // Ŝ = (Q̂ L)(Q̂ L)ᵀ with H = L Lᵀ; its non-zero eigenpairs are those of T = Lᵀ Ĝ L, Ĝ = Q̂ᵀ Q̂.
        var evdH = _h.Evd(Symmetricity.Symmetric);
        Matrix<double> l = evdH.EigenVectors.Multiply(Matrix<double>.Build.DiagonalOfDiagonalArray(
            evdH.EigenValues.Select(e => Math.Sqrt(Math.Max(e.Real, 0))).ToArray()));
        Matrix<double> t = l.TransposeThisAndMultiply(Gram(_inverseSqrtDegree.Select(f => f * f).ToArray())).Multiply(l);
        t = (t + t.Transpose()) * 0.5;
        var evdT = t.Evd(Symmetricity.Symmetric);
        int[] order = Enumerable.Range(0, _m).OrderByDescending(j => evdT.EigenValues[j].Real).ThenBy(j => j).ToArray();
        var eigenvalues = new double[k];
        var projection = Matrix<double>.Build.Dense(_m, k); // L u_j for the chosen j: F_i = Q̂_i (L U_k)
        Matrix<double> lu = l * evdT.EigenVectors;
        for (int c = 0; c < k; c++)
        {
            int j = order[c + 1];
            eigenvalues[c] = Math.Max(evdT.EigenValues[j].Real, 0);
            projection.SetColumn(c, lu.Column(j));
        }
        double[] p = projection.ToRowMajorArray();
        var factor = new double[(long)Rows * k];
        double total = 0;
        Span<int> index = stackalloc int[EntriesPerRow];
        Span<double> value = stackalloc double[EntriesPerRow];
        for (int i = 0; i < Rows; i++)
        {
            Span<double> row = factor.AsSpan(i * k, k);
            int count = Entries(i, index, value);
            for (int e = 0; e < count; e++)
                TensorPrimitives.MultiplyAdd(p.AsSpan(index[e] * k, k), _inverseSqrtDegree[i] * value[e], row, row);
            total += TensorPrimitives.Dot<double>(row, row);
        }
        if (total > 0)
        {
            double norm = Math.Sqrt(Rows / total);
            for (int i = 0; i < factor.Length; i++) factor[i] *= norm;
        }
        return (factor, eigenvalues);
    }

    /// <summary>Ŝ as a dense n x n row-major matrix (tests and small references only).</summary>
    public double[] Dense()
    {
        var q = Matrix<double>.Build.Dense(Rows, _m);
        Span<int> index = stackalloc int[EntriesPerRow];
        Span<double> value = stackalloc double[EntriesPerRow];
        for (int i = 0; i < Rows; i++)
        {
            int count = Entries(i, index, value);
            for (int e = 0; e < count; e++) q[i, index[e]] += value[e] * _inverseSqrtDegree[i];
        }
        return (q * _h * q.Transpose()).ToRowMajorArray();
    }

    /// <summary>Σ_i f_i Q_iᵀ Q_i (m' x m'): one pass, O(n s²).</summary>
    private Matrix<double> Gram(double[] rowWeights)
    {
        var g = new double[_m * _m];
        Span<int> index = stackalloc int[EntriesPerRow];
        Span<double> value = stackalloc double[EntriesPerRow];
        for (int i = 0; i < Rows; i++)
        {
            int count = Entries(i, index, value);
            double f = rowWeights[i];
            for (int p = 0; p < count; p++)
                for (int q = 0; q < count; q++) g[index[p] * _m + index[q]] += f * value[p] * value[q];
        }
        return Matrix<double>.Build.DenseOfRowMajor(_m, _m, g);
    }

    private int EntriesPerRow => _x.Neighbours + _y.Neighbours;

    /// <summary>Writes the non-zeros of row i of Q as (column, value) and returns their count (anchors of one row are distinct).</summary>
    private int Entries(int i, Span<int> index, Span<double> value)
    {
        int sx = _x.Neighbours, sy = _y.Neighbours, count = 0;
        for (int p = 0; p < sx; p++)
        {
            double z = _x.Weight[i * sx + p];
            if (z == 0) continue;
            int a = _x.Anchor[i * sx + p];
            index[count] = a;
            value[count++] = z * _x.InverseSqrtDegree[a];
        }
        for (int p = 0; p < sy; p++)
        {
            double z = _y.Weight[i * sy + p];
            if (z == 0) continue;
            int a = _y.Anchor[i * sy + p];
            index[count] = _mx + a;
            value[count++] = z * _y.InverseSqrtDegree[a];
        }
        return count;
    }
}
