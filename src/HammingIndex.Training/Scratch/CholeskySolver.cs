using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;

namespace HammingIndex.Training.Scratch;

/// <summary>
/// Solves S Z = Q for a symmetric positive definite S (order <see cref="Order"/>) and many
/// right-hand sides. MathNet.Numerics factors S = L Lᵀ once; the two triangular substitutions are
/// row-vectorized here (each step is an axpy over a right-hand-side row), which is what makes the
/// per-iteration W update cost milliseconds.
/// </summary>
internal sealed class CholeskySolver
{
    private const int Block = 32;
    private readonly double[] _lower;        // row-major L, only the lower triangle is meaningful
    private readonly double[] _negatedLower; // -L, so that panel updates are multiply-adds

    /// <summary>Factors the symmetric matrix <paramref name="symmetric"/> (row-major, order x order).</summary>
    /// <exception cref="ArgumentException">The matrix is not positive definite.</exception>
    public CholeskySolver(ReadOnlySpan<double> symmetric, int order)
    {
        Order = order;
        // Row-major and column-major agree for a symmetric matrix.
        var matrix = Matrix<double>.Build.Dense(order, order, symmetric.Slice(0, order * order).ToArray());
        double[] factor = matrix.Cholesky().Factor.ToColumnMajorArray();
        _lower = new double[order * order];
        for (int j = 0; j < order; j++)
            for (int k = 0; k <= j; k++)
                _lower[j * order + k] = factor[k * order + j];
        _negatedLower = new double[order * order];
        TensorPrimitives.Negate(_lower, _negatedLower);
    }

    /// <summary>Order of the factored matrix.</summary>
    public int Order { get; }

    /// <summary>Overwrites <paramref name="rhs"/> (Order x <paramref name="columns"/>, row-major) with S⁻¹ rhs.</summary>
    public void SolveInPlace(Span<double> rhs, int columns) => SolveInPlace(rhs, columns, 0, columns);

    /// <summary>
    /// Overwrites columns [<paramref name="first"/>, first + <paramref name="count"/>) of
    /// <paramref name="rhs"/> (Order rows of <paramref name="stride"/> values) with S⁻¹ times them.
    /// Column strips are independent, so callers may solve disjoint strips in parallel.
    /// </summary>
    public void SolveInPlace(Span<double> rhs, int stride, int first, int count)
    {
        int n = Order;
        if (first < 0 || count < 0 || first + count > stride || rhs.Length < (long)(n - 1) * stride + first + count)
            throw new ArgumentException("Right-hand side is too short for the given strip.", nameof(rhs));
        if (count == 0) return;
        // Blocked substitutions: the off-diagonal panels are products (MatrixProducts), only the
        // Block x Block diagonal triangles are solved row by row.
        // L y = q
        for (int j0 = 0; j0 < n; j0 += Block)
        {
            int jb = Math.Min(Block, n - j0);
            if (j0 > 0)
                MatrixProducts.MultiplyAdd(_negatedLower.AsSpan(j0 * n), n, 1, rhs.Slice(first), stride, rhs.Slice(j0 * stride + first), stride, jb, j0, count);
            for (int j = j0; j < j0 + jb; j++)
            {
                Span<double> row = rhs.Slice(j * stride + first, count);
                for (int k = j0; k < j; k++)
                    TensorPrimitives.MultiplyAdd(rhs.Slice(k * stride + first, count), _negatedLower[j * n + k], row, row);
                TensorPrimitives.Multiply(row, 1.0 / _lower[j * n + j], row);
            }
        }
        // Lᵀ z = y
        for (int j0 = (n - 1) / Block * Block; j0 >= 0; j0 -= Block)
        {
            int jb = Math.Min(Block, n - j0), below = j0 + jb;
            if (below < n)
                MatrixProducts.MultiplyAdd(_negatedLower.AsSpan(below * n + j0), 1, n, rhs.Slice(below * stride + first), stride, rhs.Slice(j0 * stride + first), stride, jb, n - below, count);
            for (int j = below - 1; j >= j0; j--)
            {
                Span<double> row = rhs.Slice(j * stride + first, count);
                for (int k = j + 1; k < below; k++)
                    TensorPrimitives.MultiplyAdd(rhs.Slice(k * stride + first, count), _negatedLower[k * n + j], row, row);
                TensorPrimitives.Multiply(row, 1.0 / _lower[j * n + j], row);
            }
        }
    }

    /// <summary>Returns S⁻¹ as a new row-major array (symmetrized), solving column strips in parallel.</summary>
    public double[] Inverse(int maxDegreeOfParallelism = 1)
    {
        int n = Order;
        var inverse = new double[n * n];
        for (int i = 0; i < n; i++) inverse[i * n + i] = 1;
        const int Strip = 64;
        int strips = (n + Strip - 1) / Strip;
        Parallel.For(0, strips, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism <= 0 ? -1 : maxDegreeOfParallelism },
            s => SolveInPlace(inverse, n, s * Strip, Math.Min(Strip, n - s * Strip)));
        // Symmetrize away rounding so that products with it stay symmetric.
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
            {
                double v = 0.5 * (inverse[i * n + j] + inverse[j * n + i]);
                inverse[i * n + j] = v;
                inverse[j * n + i] = v;
            }
        return inverse;
    }
}
