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
    private readonly double[] _lower; // row-major L, only the lower triangle is meaningful

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
    }

    /// <summary>Order of the factored matrix.</summary>
    public int Order { get; }

    /// <summary>Overwrites <paramref name="rhs"/> (Order x <paramref name="columns"/>, row-major) with S⁻¹ rhs.</summary>
    public void SolveInPlace(Span<double> rhs, int columns)
    {
        int n = Order;
        if (rhs.Length < n * columns) throw new ArgumentException("Right-hand side is too short.", nameof(rhs));
        // L y = q
        for (int j = 0; j < n; j++)
        {
            Span<double> row = rhs.Slice(j * columns, columns);
            ReadOnlySpan<double> l = _lower.AsSpan(j * n, j + 1);
            for (int k = 0; k < j; k++)
                TensorPrimitives.MultiplyAdd(rhs.Slice(k * columns, columns), -l[k], row, row);
            TensorPrimitives.Multiply(row, 1.0 / l[j], row);
        }
        // Lᵀ z = y
        for (int j = n - 1; j >= 0; j--)
        {
            Span<double> row = rhs.Slice(j * columns, columns);
            for (int k = j + 1; k < n; k++)
                TensorPrimitives.MultiplyAdd(rhs.Slice(k * columns, columns), -_lower[k * n + j], row, row);
            TensorPrimitives.Multiply(row, 1.0 / _lower[j * n + j], row);
        }
    }

    /// <summary>Returns S⁻¹ as a new row-major array.</summary>
    public double[] Inverse()
    {
        var inverse = new double[Order * Order];
        for (int i = 0; i < Order; i++) inverse[i * Order + i] = 1;
        SolveInPlace(inverse, Order);
        // Symmetrize away rounding so that products with it stay symmetric.
        for (int i = 0; i < Order; i++)
            for (int j = 0; j < i; j++)
            {
                double v = 0.5 * (inverse[i * Order + j] + inverse[j * Order + i]);
                inverse[i * Order + j] = v;
                inverse[j * Order + i] = v;
            }
        return inverse;
    }
}
