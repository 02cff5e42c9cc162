using System.Collections.Concurrent;
using System.Numerics.Tensors;
using HammingIndex.Training.Kernelization;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace HammingIndex.Training.Scratch;

/// <summary>
/// The state and block updates of SCRATCH (Li et al., ACM MM 2018, Algorithm 1). Samples are rows here: V is n x r (row i = v_i),
/// B is n x r, X is n x a (kernel features, row i = x_i); the paper's column-sample matrices are the
/// transposes. Every update needs only sums over samples, kept as "statistics" of the current V:
/// XV = Σ x_i v_iᵀ (the paper's X Vᵀ, a x r), YV, LV, VV = V Vᵀ, BV = B Vᵀ, plus the fixed Gram
/// matrices Sxx = X Xᵀ, Syy. Passes over the samples run block by block (kernel features of a block
/// are computed on the fly unless the whole set fits the cache budget), chunk-parallel with partial
/// sums added in chunk order.
/// With code coupling (<see cref="ScratchOptions.ImageCodeCoupling"/> βx, <see cref="ScratchOptions.TextCodeCoupling"/> βy,
/// default 0) the objective gains βx‖B − R Wx X‖² + βy‖B − R Wy Y‖²: the codes must also agree with each
/// modality's hash output. Then B = sign(R (V + βx Wx X + βy Wy Y)), the W steps regress on V and Rᵀ B, and
/// the R step rotates onto all three; every step stays the exact minimizer of its block. Extra
/// statistics XB = Σ x_i b_iᵀ and YB (a x r) are kept only when coupled.
/// </summary>
internal sealed class ScratchSolver
{
    private enum PassKind { SignOnly, Statistics, UpdateV, SignAndUpdateV }

    private readonly ScratchOptions _options;
    private readonly FeatureMatrix _image, _text, _labels;
    private readonly int _n, _ax, _ay, _c, _r, _chunks;
    private readonly double[]?[]? _cacheX, _cacheY;
    private readonly double[] _sxx, _syy;
    private readonly double _trXX, _trYY, _trLL;
    private readonly double[] _kxInverse, _kyInverse; // (mu S + γ I)⁻¹, factored once
    private readonly double[][] _pxv, _pyv, _plv, _pvv, _pbv, _pxb, _pyb; // per-chunk partial statistics
    private readonly double[] _xv, _yv, _lv, _vv, _bv, _xb, _yb;
    private readonly bool _coupled;
    private readonly ConcurrentBag<PassWorkspace> _workspaces = []; // reused across passes: no per-pass garbage

    // Per-iteration products of the V step.
    private double[] _pxT = [], _pyT = [], _gAlpha = [], _mInverse = [], _rT = [];
    // βx Wxᵀ and βy Wyᵀ for the coupled sign step.
    private double[] _wxCoupled = [], _wyCoupled = [];

    public ScratchSolver(FeatureMatrix image, FeatureMatrix text, FeatureMatrix labels, RbfKernelMap imageMap, RbfKernelMap textMap, ScratchOptions options, int initSeed)
    {
        _options = options;
        _image = image; _text = text; _labels = labels;
        ImageMap = imageMap; TextMap = textMap;
        _n = image.Rows; _ax = imageMap.AnchorCount; _ay = textMap.AnchorCount; _c = labels.Columns; _r = options.Bits;
        _chunks = SampleBlocks.ChunkCount(_n);

        long cacheBytes = (long)_n * (_ax + _ay) * sizeof(double);
        if (cacheBytes <= options.KernelCacheBytes)
        {
            _cacheX = new double[SampleBlocks.BlockCount(_n)][];
            _cacheY = new double[SampleBlocks.BlockCount(_n)][];
        }
        _sxx = Gram(imageMap, image, _cacheX);
        _syy = Gram(textMap, text, _cacheY);
        for (int j = 0; j < _ax; j++) _trXX += _sxx[j * _ax + j];
        for (int j = 0; j < _ay; j++) _trYY += _syy[j * _ay + j];
        _trLL = TensorPrimitives.Dot(labels.Values.AsSpan(), labels.Values.AsSpan());
        _kxInverse = new CholeskySolver(Regularized(_sxx, _ax, options.Mu + options.ImageCodeCoupling, options.Gamma), _ax).Inverse(options.MaxDegreeOfParallelism);
        _kyInverse = new CholeskySolver(Regularized(_syy, _ay, options.Mu + options.TextCodeCoupling, options.Gamma), _ay).Inverse(options.MaxDegreeOfParallelism);
        _coupled = options.ImageCodeCoupling > 0 || options.TextCodeCoupling > 0;

        _pxv = Partials(_ax * _r); _pyv = Partials(_ay * _r); _plv = Partials(_c * _r);
        _pvv = Partials(_r * _r); _pbv = Partials(_r * _r);
        _xv = new double[_ax * _r]; _yv = new double[_ay * _r]; _lv = new double[_c * _r];
        _vv = new double[_r * _r]; _bv = new double[_r * _r];
        _pxb = _coupled ? Partials(_ax * _r) : []; _pyb = _coupled ? Partials(_ay * _r) : [];
        _xb = new double[_coupled ? _ax * _r : 0]; _yb = new double[_coupled ? _ay * _r : 0];

        // V ~ N(0, 1); R = left singular vectors of an r x r Gaussian matrix.
        var random = new Random(initSeed);
        V = new double[(long)_n * _r];
        Normal.Samples(random, V, 0, 1);
        var gaussian = new double[_r * _r];
        Normal.Samples(random, gaussian, 0, 1);
        R = Matrix<double>.Build.DenseOfRowMajor(_r, _r, gaussian).Svd(true).U.ToRowMajorArray();
        B = new sbyte[(long)_n * _r];
        Ux = new double[_ax * _r]; Uy = new double[_ay * _r]; G = new double[_c * _r];
        WxT = new double[_ax * _r]; WyT = new double[_ay * _r];
        Pass(PassKind.SignOnly);
        Pass(PassKind.Statistics);
    }

    public RbfKernelMap ImageMap { get; }
    public RbfKernelMap TextMap { get; }

    /// <summary>n x r, row i = v_i.</summary>
    public double[] V { get; }

    /// <summary>n x r signs, row i = b_i (the paper's B transposed).</summary>
    public sbyte[] B { get; }

    /// <summary>Ux (a_x x r).</summary>
    public double[] Ux { get; }

    /// <summary>Uy (a_y x r).</summary>
    public double[] Uy { get; }

    /// <summary>G (c x r).</summary>
    public double[] G { get; }

    /// <summary>Wxᵀ (a_x x r): Wx is r x a_x.</summary>
    public double[] WxT { get; }

    /// <summary>Wyᵀ (a_y x r).</summary>
    public double[] WyT { get; }

    /// <summary>R (r x r, orthogonal), row-major.</summary>
    public double[] R { get; private set; }

    /// <summary>True when the training kernel features are cached in memory.</summary>
    public bool CachesKernelFeatures => _cacheX is not null;

    /// <summary>One iteration in the paper's order; B and V share a single pass over the samples.</summary>
    public void RunIteration()
    {
        StepUx(); StepUy(); StepG(); StepWx(); StepWy();
        PrepareV();
        Pass(PassKind.SignAndUpdateV);
        StepR();
    }

    /// <summary>Step 1: B = sign(R V), 0 -> +1 (coupled: sign(R (V + βx Wx X + βy Wy Y)), then the statistics of the new B).</summary>
    public void StepB()
    {
        Pass(PassKind.SignOnly);
        if (_coupled) Pass(PassKind.Statistics);
    }

    /// <summary>Ux = lx X Vᵀ (lx V Vᵀ + γ I)⁻¹.</summary>
    public void StepUx() => SolveU(Ux, _xv, _ax, _options.LambdaX);

    /// <summary>Uy = ly Y Vᵀ (ly V Vᵀ + γ I)⁻¹.</summary>
    public void StepUy() => SolveU(Uy, _yv, _ay, 1 - _options.LambdaX);

    /// <summary>G = alpha L Vᵀ (alpha V Vᵀ + γ I)⁻¹.</summary>
    public void StepG() => SolveU(G, _lv, _c, _options.Alpha);

    /// <summary>Wx = mu V Xᵀ (mu X Xᵀ + γ I)⁻¹, i.e. Wxᵀ = (mu Sxx + γ I)⁻¹ mu XV (coupled: ((mu + βx) Sxx + γ I)⁻¹ (mu XV + βx XB R)).</summary>
    public void StepWx() => SolveW(WxT, _xv, _xb, _options.ImageCodeCoupling, _kxInverse, _ax);

    /// <summary>Wy likewise.</summary>
    public void StepWy() => SolveW(WyT, _yv, _yb, _options.TextCodeCoupling, _kyInverse, _ay);

    /// <summary>Step 4: V from the normal equations of its block (one r x r factorization, n right-hand sides).</summary>
    public void StepV()
    {
        PrepareV();
        Pass(PassKind.UpdateV);
    }

    /// <summary>Step 5: R = S1 S2ᵀ from the SVD B Vᵀ = S1 S S2ᵀ (orthogonal Procrustes).</summary>
    public void StepR()
    {
        // Coupled: maximise tr(Rᵀ C) with C = Σ b_i (v_i + βx Wx x_i + βy Wy y_i)ᵀ = BV + βx XBᵀ Wxᵀ + βy YBᵀ Wyᵀ.
        double[] target = _bv;
        if (_coupled)
        {
            target = (double[])_bv.Clone();
            AddCodeProduct(target, _xb, WxT, _ax, _options.ImageCodeCoupling);
            AddCodeProduct(target, _yb, WyT, _ay, _options.TextCodeCoupling);
        }
        var svd = Matrix<double>.Build.DenseOfRowMajor(_r, _r, target).Svd(true);
        R = (svd.U * svd.VT).ToRowMajorArray();
    }

    /// <summary>
    /// The objective from the statistics. Valid when they describe the current V and B, i.e. after
    /// <see cref="RunIteration"/> or after <see cref="StepV"/>/<see cref="StepR"/>.
    /// </summary>
    public double Objective()
    {
        double lx = _options.LambdaX, ly = 1 - lx, alpha = _options.Alpha, mu = _options.Mu, gamma = _options.Gamma;
        double trVV = 0;
        for (int q = 0; q < _r; q++) trVV += _vv[q * _r + q];
        double termX = _trXX - 2 * TensorPrimitives.Dot(Ux, _xv) + Quadratic(Ux, _ax);
        double termY = _trYY - 2 * TensorPrimitives.Dot(Uy, _yv) + Quadratic(Uy, _ay);
        double termL = _trLL - 2 * TensorPrimitives.Dot(G, _lv) + Quadratic(G, _c);
        double termB = (double)_n * _r - 2 * TensorPrimitives.Dot(R, _bv) + Quadratic(R, _r);
        double termWx = trVV - 2 * TensorPrimitives.Dot(WxT, _xv) + GramQuadratic(_sxx, WxT, _ax);
        double termWy = trVV - 2 * TensorPrimitives.Dot(WyT, _yv) + GramQuadratic(_syy, WyT, _ay);
        double coupling = 0;
        if (_coupled)
        {
            coupling = _options.ImageCodeCoupling * CodeTerm(_xb, WxT, _sxx, _ax) + _options.TextCodeCoupling * CodeTerm(_yb, WyT, _syy, _ay);
        }
        double reg = TensorPrimitives.Dot(Ux, Ux) + TensorPrimitives.Dot(Uy, Uy) + TensorPrimitives.Dot(G, G)
            + TensorPrimitives.Dot(WxT, WxT) + TensorPrimitives.Dot(WyT, WyT) + trVV;
        return lx * termX + ly * termY + alpha * termL + termB + mu * (termWx + termWy) + coupling + gamma * reg;
    }

    // ‖B − R W X‖² = n r − 2 <Wᵀ, XB R> + ‖W X‖² for Wᵀ (a x r), R orthogonal.
    private double CodeTerm(double[] xb, double[] wT, double[] gram, int a)
    {
        return (double)_n * _r - 2 * TensorPrimitives.Dot(wT, Rotated(xb, a)) + GramQuadratic(gram, wT, a);
    }

    // XB R (a x r): the coupling term's regression target Rᵀ b_i summed against the features.
    private double[] Rotated(double[] xb, int a)
    {
        var rotated = new double[a * _r];
        MatrixProducts.Multiply(xb, R, rotated, a, _r, _r);
        return rotated;
    }

    // target (r x r) += weight XBᵀ Wᵀ, XB and Wᵀ a x r.
    private void AddCodeProduct(double[] target, double[] xb, double[] wT, int a, double weight)
    {
        if (weight == 0) return;
        var product = new double[_r * _r];
        MatrixProducts.TransposeMultiplyAdd(xb, wT, product, _r, a, _r);
        TensorPrimitives.MultiplyAdd(product, weight, target, target);
    }

    // <Uᵀ U, V Vᵀ> for U (rows x r).
    private double Quadratic(double[] u, int rows)
    {
        var utu = new double[_r * _r];
        MatrixProducts.TransposeMultiplyAdd(u, u, utu, _r, rows, _r);
        return TensorPrimitives.Dot(utu, _vv);
    }

    // <Wᵀ, S Wᵀ> = ||W X||² for Wᵀ (a x r).
    private double GramQuadratic(double[] s, double[] wT, int a)
    {
        var product = new double[a * _r];
        MatrixProducts.MultiplyParallel(s, wT, product, a, a, _r, _options.MaxDegreeOfParallelism);
        return TensorPrimitives.Dot(product, wT);
    }

    private void SolveU(double[] destination, double[] statistic, int rows, double weight)
    {
        // destination = weight * statistic * (weight V Vᵀ + γ I)⁻¹
        var system = new double[_r * _r];
        TensorPrimitives.Multiply(_vv, weight, system);
        for (int q = 0; q < _r; q++) system[q * _r + q] += _options.Gamma;
        double[] inverse = new CholeskySolver(system, _r).Inverse();
        var scaled = new double[rows * _r];
        TensorPrimitives.Multiply(statistic, weight, scaled);
        MatrixProducts.Multiply(scaled, inverse, destination, rows, _r, _r);
    }

    private void SolveW(double[] wT, double[] statistic, double[] codeStatistic, double coupling, double[] inverse, int a)
    {
        var scaled = new double[a * _r];
        TensorPrimitives.Multiply(statistic, _options.Mu, scaled);
        if (coupling > 0)
        {
            // + βx XB R: the regression target Rᵀ b_i of the coupling term.
            TensorPrimitives.MultiplyAdd(Rotated(codeStatistic, a), coupling, scaled, scaled);
        }
        MatrixProducts.MultiplyParallel(inverse, scaled, wT, a, a, _r, _options.MaxDegreeOfParallelism);
    }

    private void PrepareV()
    {
        double lx = _options.LambdaX, ly = 1 - lx, alpha = _options.Alpha, mu = _options.Mu;
        var m = new double[_r * _r];
        var part = new double[_r * _r];
        void AddGram(double[] u, int rows, double weight)
        {
            part.AsSpan().Clear();
            MatrixProducts.TransposeMultiplyAdd(u, u, part, _r, rows, _r);
            TensorPrimitives.MultiplyAdd(part, weight, m, m);
        }
        AddGram(Ux, _ax, lx);
        AddGram(Uy, _ay, ly);
        AddGram(G, _c, alpha);
        AddGram(R, _r, 1);
        for (int q = 0; q < _r; q++) m[q * _r + q] += 2 * mu + _options.Gamma;
        _mInverse = new CholeskySolver(m, _r).Inverse();

        // Row form: v_iᵀ = (x_iᵀ PxT + y_iᵀ PyT + alpha l_iᵀ G + b_iᵀ R) M⁻¹.
        _pxT = new double[_ax * _r];
        TensorPrimitives.Multiply(Ux, lx, _pxT);
        TensorPrimitives.MultiplyAdd(WxT, mu, _pxT, _pxT);
        _pyT = new double[_ay * _r];
        TensorPrimitives.Multiply(Uy, ly, _pyT);
        TensorPrimitives.MultiplyAdd(WyT, mu, _pyT, _pyT);
        _gAlpha = new double[_c * _r];
        TensorPrimitives.Multiply(G, alpha, _gAlpha);
    }

    private void Pass(PassKind kind)
    {
        _rT = Transpose(R, _r);
        bool sign = kind is PassKind.SignOnly or PassKind.SignAndUpdateV;
        bool update = kind is PassKind.UpdateV or PassKind.SignAndUpdateV;
        bool statistics = kind != PassKind.SignOnly;
        bool coupledSign = sign && _coupled;
        if (coupledSign)
        {
            _wxCoupled = new double[_ax * _r];
            TensorPrimitives.Multiply(WxT, _options.ImageCodeCoupling, _wxCoupled);
            _wyCoupled = new double[_ay * _r];
            TensorPrimitives.Multiply(WyT, _options.TextCodeCoupling, _wyCoupled);
        }
        int r = _r;
        SampleBlocks.ForEachChunk(_chunks, _options.MaxDegreeOfParallelism, () => _workspaces.TryTake(out var reused) ? reused : new PassWorkspace(this), (chunk, ws) =>
        {
            if (statistics)
            {
                _pxv[chunk].AsSpan().Clear(); _pyv[chunk].AsSpan().Clear(); _plv[chunk].AsSpan().Clear();
                _pvv[chunk].AsSpan().Clear(); _pbv[chunk].AsSpan().Clear();
                if (_coupled) { _pxb[chunk].AsSpan().Clear(); _pyb[chunk].AsSpan().Clear(); }
            }
            var (first, end) = SampleBlocks.ChunkBlocks(_n, _chunks, chunk);
            for (int block = first; block < end; block++)
            {
                var (start, count) = SampleBlocks.BlockRange(_n, block);
                Span<double> v = V.AsSpan(start * r, count * r);
                Span<sbyte> b = B.AsSpan(start * r, count * r);
                Span<double> bBlock = ws.Signs.AsSpan(0, count * r);
                ReadOnlySpan<double> phiX = default, phiY = default;
                if (statistics || coupledSign)
                {
                    phiX = Features(ImageMap, _image, _cacheX, block, start, count, ws.PhiX, ws.KernelX);
                    phiY = Features(TextMap, _text, _cacheY, block, start, count, ws.PhiY, ws.KernelY);
                }
                if (sign)
                {
                    ReadOnlySpan<double> projected = v;
                    if (coupledSign)
                    {
                        // v_i + βx Wx x_i + βy Wy y_i (the Rhs buffer is free until the V update below).
                        Span<double> target = ws.Rhs.AsSpan(0, count * r);
                        v.CopyTo(target);
                        MatrixProducts.MultiplyAdd(phiX, _ax, 1, _wxCoupled, r, target, r, count, _ax, r);
                        MatrixProducts.MultiplyAdd(phiY, _ay, 1, _wyCoupled, r, target, r, count, _ay, r);
                        projected = target;
                    }
                    MatrixProducts.Multiply(projected, _rT, bBlock, count, r, r);
                    for (int k = 0; k < bBlock.Length; k++)
                    {
                        sbyte s = bBlock[k] >= 0 ? (sbyte)1 : (sbyte)-1;
                        b[k] = s;
                        bBlock[k] = s;
                    }
                }
                else if (statistics)
                {
                    for (int k = 0; k < bBlock.Length; k++) bBlock[k] = b[k];
                }
                if (!statistics) continue;

                ReadOnlySpan<double> l = _labels.Values.AsSpan(start * _c, count * _c);
                if (update)
                {
                    Span<double> rhs = ws.Rhs.AsSpan(0, count * r);
                    MatrixProducts.Multiply(phiX, _pxT, rhs, count, _ax, r);
                    MatrixProducts.MultiplyAdd(phiY, _ay, 1, _pyT, r, rhs, r, count, _ay, r);
                    MatrixProducts.MultiplyAdd(l, _c, 1, _gAlpha, r, rhs, r, count, _c, r);
                    MatrixProducts.MultiplyAdd(bBlock, r, 1, R, r, rhs, r, count, r, r);
                    MatrixProducts.Multiply(rhs, _mInverse, v, count, r, r);
                }
                MatrixProducts.TransposeMultiplyAdd(phiX, v, _pxv[chunk], _ax, count, r);
                MatrixProducts.TransposeMultiplyAdd(phiY, v, _pyv[chunk], _ay, count, r);
                MatrixProducts.TransposeMultiplyAdd(l, v, _plv[chunk], _c, count, r);
                MatrixProducts.TransposeMultiplyAdd(v, v, _pvv[chunk], r, count, r);
                MatrixProducts.TransposeMultiplyAdd(bBlock, v, _pbv[chunk], r, count, r);
                if (_coupled)
                {
                    MatrixProducts.TransposeMultiplyAdd(phiX, bBlock, _pxb[chunk], _ax, count, r);
                    MatrixProducts.TransposeMultiplyAdd(phiY, bBlock, _pyb[chunk], _ay, count, r);
                }
            }
        }, _workspaces.Add);
        if (!statistics) return;
        Reduce(_pxv, _xv); Reduce(_pyv, _yv); Reduce(_plv, _lv); Reduce(_pvv, _vv); Reduce(_pbv, _bv);
        if (_coupled) { Reduce(_pxb, _xb); Reduce(_pyb, _yb); }
    }

    private static ReadOnlySpan<double> Features(RbfKernelMap map, FeatureMatrix rows, double[]?[]? cache, int block, int start, int count,
        double[] buffer, KernelWorkspace workspace)
    {
        if (cache?[block] is { } cached) return cached;
        int d = map.InputDimension;
        map.TransformBlock(rows.Values.AsSpan(start * d, count * d), count, buffer, workspace, KernelStage.Features);
        return buffer.AsSpan(0, count * map.AnchorCount);
    }

    private void Reduce(double[][] partials, double[] total)
    {
        total.AsSpan().Clear();
        for (int chunk = 0; chunk < _chunks; chunk++) TensorPrimitives.Add(total, partials[chunk], total);
    }

    private double[][] Partials(int length)
    {
        var result = new double[_chunks][];
        for (int i = 0; i < _chunks; i++) result[i] = new double[length];
        return result;
    }

    /// <summary>X Xᵀ = Σ x_i x_iᵀ over the training set, block by block; fills the cache when given.</summary>
    private double[] Gram(RbfKernelMap map, FeatureMatrix rows, double[]?[]? cache)
    {
        int a = map.AnchorCount, d = map.InputDimension, n = rows.Rows;
        var gram = new double[a * a];
        var buffer = new double[SampleBlocks.BlockRows * a];
        const int Tile = 32, Parts = 4;
        var kernelWorkspaces = new KernelWorkspace[Parts];
        for (int p = 0; p < Parts; p++) kernelWorkspaces[p] = new KernelWorkspace(d);
        int tiles = (a + Tile - 1) / Tile;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism <= 0 ? -1 : _options.MaxDegreeOfParallelism };
        for (int block = 0; block < SampleBlocks.BlockCount(n); block++)
        {
            var (start, count) = SampleBlocks.BlockRange(n, block);
            double[] phi = cache is null ? buffer : (cache[block] = new double[count * a]);
            Parallel.For(0, Parts, parallel, part =>
            {
                int from = count * part / Parts, to = count * (part + 1) / Parts;
                map.TransformBlock(rows.Values.AsSpan((start + from) * d, (to - from) * d), to - from, phi.AsSpan(from * a), kernelWorkspaces[part], KernelStage.Features);
            });
            // Upper triangle by row tiles: each tile owns its output rows, so the sum order is fixed.
            Parallel.For(0, tiles, parallel, tile =>
            {
                int j0 = tile * Tile, rowsInTile = Math.Min(Tile, a - j0);
                MatrixProducts.MultiplyAdd(phi.AsSpan(j0), 1, a, phi.AsSpan(j0), a, gram.AsSpan(j0 * a + j0), a, rowsInTile, count, a - j0);
            });
        }
        for (int i = 0; i < a; i++)
            for (int j = 0; j < i; j++) gram[i * a + j] = gram[j * a + i];
        return gram;
    }

    private static double[] Regularized(double[] gram, int a, double mu, double gamma)
    {
        var k = new double[a * a];
        TensorPrimitives.Multiply(gram, mu, k);
        for (int j = 0; j < a; j++) k[j * a + j] += gamma;
        return k;
    }

    internal static double[] Transpose(double[] m, int order)
    {
        var t = new double[order * order];
        for (int i = 0; i < order; i++)
            for (int j = 0; j < order; j++) t[j * order + i] = m[i * order + j];
        return t;
    }

    private sealed class PassWorkspace(ScratchSolver s)
    {
        public readonly double[] PhiX = s._cacheX is null ? new double[SampleBlocks.BlockRows * s._ax] : [];
        public readonly double[] PhiY = s._cacheY is null ? new double[SampleBlocks.BlockRows * s._ay] : [];
        public readonly KernelWorkspace KernelX = new(s.ImageMap.InputDimension);
        public readonly KernelWorkspace KernelY = new(s.TextMap.InputDimension);
        public readonly double[] Signs = new double[SampleBlocks.BlockRows * s._r];
        public readonly double[] Rhs = new double[SampleBlocks.BlockRows * s._r];
    }
}
