using System.Numerics.Tensors;
using HammingIndex.Training.Kernelization;

namespace HammingIndex.Training.Scratch;

/// <summary>
/// Fitted per-bit kernel ridge hash functions (see <see cref="ScratchHashFunctions.CodeRegression"/>).
/// </summary>
/// <param name="Map">The kernel map the functions read (their own anchors; see <see cref="ScratchOptions.HashAnchors"/>).</param>
/// <param name="Projection">P, anchors x bits, row-major: code bit q of a row = sign(phi · P[:, q] + Bias[q]).</param>
/// <param name="Bias">c, one per bit.</param>
/// <param name="Ridge">The relative ridge used (times the mean diagonal of the Gram matrix).</param>
/// <param name="RidgeGrid">The relative ridges cross-validated (empty when the ridge was given).</param>
/// <param name="HeldOutError">Mean held-out bit error per grid entry (fraction of bits wrong; empty when not cross-validated).</param>
/// <param name="HeldOutBitError">Held-out error of each bit at the chosen ridge (empty when not cross-validated).</param>
internal sealed record CodeRegressionFit(RbfKernelMap Map, double[] Projection, double[] Bias, double Ridge, double[] RidgeGrid, double[] HeldOutError, double[] HeldOutBitError);

/// <summary>
/// Kernel ridge regression of the learned codes B (±1) on the kernel features with an unpenalized
/// bias, per bit, the ridge chosen by seeded k-fold cross-validation on the rows: two streamed
/// passes (Gram sums per fold, then held-out predictions), each linear in n; the solves are
/// (anchors + 1)-order Cholesky factorizations, folds x grid + 1 of them.
/// </summary>
internal static class CodeRegression
{
    /// <summary>Relative ridges tried by default (times the mean diagonal of the Gram matrix).</summary>
    public static IReadOnlyList<double> DefaultGrid { get; } = [1e-6, 1e-4, 1e-2, 1e-1];

    /// <summary>Fits P and c to <paramref name="codes"/> (rows x bits signs, row-major).</summary>
    /// <param name="map">The modality's kernel map.</param>
    /// <param name="rows">Raw features, one per code row.</param>
    /// <param name="codes">B, rows x bits, ±1.</param>
    /// <param name="bits">Code length.</param>
    /// <param name="ridge">A fixed relative ridge, or 0 to cross-validate over <paramref name="grid"/>.</param>
    /// <param name="grid">Relative ridges to cross-validate; null for <see cref="DefaultGrid"/>.</param>
    /// <param name="folds">Folds of the cross-validation, at least 2 (fewer than rows).</param>
    /// <param name="seed">Seed of the fold assignment.</param>
    /// <param name="maxDegreeOfParallelism">Threads of the cross-validation solves; 0 or less means all cores. Results do not depend on it.</param>
    public static CodeRegressionFit Fit(RbfKernelMap map, FeatureMatrix rows, sbyte[] codes, int bits, double ridge,
        IReadOnlyList<double>? grid = null, int folds = 3, int seed = 0, int maxDegreeOfParallelism = 0)
    {
        int n = rows.Rows, a = map.AnchorCount, a1 = a + 1;
        if (codes.Length != (long)n * bits) throw new ArgumentException($"codes hold {codes.Length} signs; {n} x {bits} expected.", nameof(codes));
        bool crossValidate = ridge <= 0;
        grid ??= DefaultGrid;
        if (crossValidate) folds = Math.Clamp(folds, 2, Math.Max(2, n));
        else folds = 1;
        int[] fold = FoldOf(n, folds, seed);

        // Pass 1: per fold, G_f = Σ φ̃ φ̃ᵀ and C_f = Σ φ̃ bᵀ, φ̃ = [φ, 1].
        var gram = new double[folds][];
        var cross = new double[folds][];
        for (int f = 0; f < folds; f++) { gram[f] = new double[a1 * a1]; cross[f] = new double[a1 * bits]; }
        var target = new double[SampleBlocks.BlockRows * bits];
        ForEachFoldGroup(map, rows, fold, folds, (f, start, count, m, grouped) =>
        {
            for (int k = 0, row = 0; k < count; k++)
            {
                if (fold[start + k] != f) continue;
                ReadOnlySpan<sbyte> b = codes.AsSpan((start + k) * bits, bits);
                for (int q = 0; q < bits; q++) target[row * bits + q] = b[q];
                row++;
            }
            MatrixProducts.TransposeMultiplyAdd(grouped.AsSpan(0, m * a1), grouped.AsSpan(0, m * a1), gram[f], a1, m, a1);
            MatrixProducts.TransposeMultiplyAdd(grouped.AsSpan(0, m * a1), target.AsSpan(0, m * bits), cross[f], a1, m, bits);
        });
        var totalGram = new double[a1 * a1];
        var totalCross = new double[a1 * bits];
        for (int f = 0; f < folds; f++) { TensorPrimitives.Add(totalGram, gram[f], totalGram); TensorPrimitives.Add(totalCross, cross[f], totalCross); }

        if (!crossValidate)
        {
            var (p, c) = Solve(totalGram, totalCross, a, bits, ridge);
            return new CodeRegressionFit(map, p, c, ridge, [], [], []);
        }

        // Held-out projections per (grid entry, fold): fitted on every other fold.
        // The folds x grid solves are independent (and each deterministic), so they run in parallel.
        var projections = new double[grid.Count, folds][];
        Parallel.For(0, folds * grid.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : -1 }, job =>
        {
            int f = job / grid.Count, g = job % grid.Count;
            var fitGram = new double[a1 * a1];
            var fitCross = new double[a1 * bits];
            TensorPrimitives.Subtract(totalGram, gram[f], fitGram);
            TensorPrimitives.Subtract(totalCross, cross[f], fitCross);
            projections[g, f] = SolveAugmented(fitGram, fitCross, a, bits, grid[g]);
        });

        // Pass 2: held-out sign errors per grid entry and bit.
        var errors = new long[grid.Count, bits];
        var predicted = new double[SampleBlocks.BlockRows * bits];
        ForEachFoldGroup(map, rows, fold, folds, (f, start, count, m, grouped) =>
        {
            for (int g = 0; g < grid.Count; g++)
            {
                MatrixProducts.Multiply(grouped.AsSpan(0, m * a1), projections[g, f], predicted, m, a1, bits);
                for (int k = 0, row = 0; k < count; k++)
                {
                    if (fold[start + k] != f) continue;
                    ReadOnlySpan<sbyte> b = codes.AsSpan((start + k) * bits, bits);
                    for (int q = 0; q < bits; q++)
                        if ((predicted[row * bits + q] >= 0 ? 1 : -1) != b[q]) errors[g, q]++;
                    row++;
                }
            }
        });
        var meanError = new double[grid.Count];
        int best = 0;
        for (int g = 0; g < grid.Count; g++)
        {
            long sum = 0;
            for (int q = 0; q < bits; q++) sum += errors[g, q];
            meanError[g] = (double)sum / ((double)n * bits);
            if (meanError[g] < meanError[best]) best = g;
        }
        var bitError = new double[bits];
        for (int q = 0; q < bits; q++) bitError[q] = (double)errors[best, q] / n;
        var (projection, bias) = Solve(totalGram, totalCross, a, bits, grid[best]);
        return new CodeRegressionFit(map, projection, bias, grid[best], grid.ToArray(), meanError, bitError);
    }

    /// <summary>The fold of each row: a seeded permutation dealt round-robin (fold sizes differ by at most one).</summary>
    internal static int[] FoldOf(int n, int folds, int seed)
    {
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        new Random(seed).Shuffle(order);
        var fold = new int[n];
        for (int k = 0; k < n; k++) fold[order[k]] = k % folds;
        return fold;
    }

    private delegate void FoldGroup(int fold, int start, int count, int rowsInFold, double[] grouped);

    // One streamed pass: per block of rows, the kernel features, then per fold its rows as [φ, 1] rows.
    private static void ForEachFoldGroup(RbfKernelMap map, FeatureMatrix rows, int[] fold, int folds, FoldGroup body)
    {
        int n = rows.Rows, a = map.AnchorCount, d = map.InputDimension;
        var phi = new double[SampleBlocks.BlockRows * a];
        var grouped = new double[SampleBlocks.BlockRows * (a + 1)];
        var workspace = new KernelWorkspace(d);
        for (int block = 0; block < SampleBlocks.BlockCount(n); block++)
        {
            var (start, count) = SampleBlocks.BlockRange(n, block);
            map.TransformBlock(rows.Values.AsSpan(start * d, count * d), count, phi, workspace, KernelStage.Features);
            for (int f = 0; f < folds; f++)
            {
                int m = Gather(phi, a, start, count, fold, f, grouped);
                if (m > 0) body(f, start, count, m, grouped);
            }
        }
    }

    // Copies the block's rows of fold f as [φ, 1] rows into destination; returns how many.
    private static int Gather(ReadOnlySpan<double> phi, int a, int start, int count, int[] fold, int f, Span<double> destination)
    {
        int m = 0, a1 = a + 1;
        for (int k = 0; k < count; k++)
        {
            if (fold[start + k] != f) continue;
            phi.Slice(k * a, a).CopyTo(destination.Slice(m * a1, a));
            destination[m * a1 + a] = 1;
            m++;
        }
        return m;
    }

    private static (double[] Projection, double[] Bias) Solve(double[] gram, double[] cross, int a, int bits, double ridge)
    {
        double[] solution = SolveAugmented(gram, cross, a, bits, ridge);
        return (solution[..(a * bits)], solution[(a * bits)..]);
    }

    // (G + λ' D)⁻¹ C with D = I on the anchor block and 0 on the bias; λ' = ridge x mean anchor diagonal (or x 1 when that is ~0).
    private static double[] SolveAugmented(double[] gram, double[] cross, int a, int bits, double ridge)
    {
        int a1 = a + 1;
        double trace = 0;
        for (int j = 0; j < a; j++) trace += gram[j * a1 + j];
        double scale = trace / a > 1e-12 ? trace / a : 1; // features all (nearly) 0: an absolute ridge keeps the system definite
        double lambda = ridge * scale;
        var system = (double[])gram.Clone();
        for (int j = 0; j < a; j++) system[j * a1 + j] += lambda;
        if (system[a * a1 + a] <= 0) system[a * a1 + a] = 1; // no rows: the bias stays 0.
        var solution = (double[])cross.Clone();
        new CholeskySolver(system, a1).SolveInPlace(solution, bits);
        return solution;
    }
}
