using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using HammingIndex.Training.Scratch;
using MathNet.Numerics.LinearAlgebra;

namespace HammingIndex.Benchmarks.Training;

/// <summary>
/// The heavy SCRATCH product X Vᵀ (a x n by n x r; Wiki shape: a = 500 anchors, n = 2,173 pairs,
/// r = 64 bits), one thread each: MathNet.Numerics' managed multiply, a row-axpy loop on
/// System.Numerics.Tensors, and the trainer's blocked Vector512 kernel (MatrixProducts).
/// </summary>
[Config(typeof(ThroughputConfig))]
public class MatrixProductBenchmarks
{
    private double[] _phi = [], _v = [], _c = [];
    private Matrix<double> _phiMatrix = null!, _vMatrix = null!;

    /// <summary>Samples n.</summary>
    [Params(2173)]
    public int N { get; set; }

    /// <summary>Anchors a.</summary>
    [Params(500)]
    public int A { get; set; }

    /// <summary>Bits r.</summary>
    [Params(64)]
    public int R { get; set; }

    /// <summary>Random operands; MathNet limited to one thread like the others.</summary>
    [GlobalSetup]
    public void Setup()
    {
        MathNet.Numerics.Control.UseSingleThread();
        var random = new Random(1);
        _phi = new double[N * A];
        _v = new double[N * R];
        _c = new double[A * R];
        for (int i = 0; i < _phi.Length; i++) _phi[i] = random.NextDouble();
        for (int i = 0; i < _v.Length; i++) _v[i] = random.NextDouble();
        _phiMatrix = Matrix<double>.Build.DenseOfRowMajor(N, A, _phi);
        _vMatrix = Matrix<double>.Build.DenseOfRowMajor(N, R, _v);
    }

    /// <summary>MathNet.Numerics managed provider: Xᵀ V.</summary>
    [Benchmark(Baseline = true)]
    public Matrix<double> MathNetManaged() => _phiMatrix.TransposeThisAndMultiply(_vMatrix);

    /// <summary>One TensorPrimitives.MultiplyAdd (length r) per sample and anchor.</summary>
    [Benchmark]
    public double[] TensorPrimitivesAxpy()
    {
        _c.AsSpan().Clear();
        for (int i = 0; i < N; i++)
        {
            ReadOnlySpan<double> vi = _v.AsSpan(i * R, R);
            for (int j = 0; j < A; j++)
            {
                Span<double> row = _c.AsSpan(j * R, R);
                TensorPrimitives.MultiplyAdd(vi, _phi[i * A + j], row, row);
            }
        }
        return _c;
    }

    /// <summary>The trainer's kernel: 4 x 32 register tiles of Vector512 FMAs.</summary>
    [Benchmark]
    public double[] BlockedVector512()
    {
        _c.AsSpan().Clear();
        MatrixProducts.TransposeMultiplyAdd(_phi, _v, _c, A, N, R);
        return _c;
    }
}
