using HammingIndex.Kernels;

namespace HammingIndex.Cli.Plots;

/// <summary>
/// Exact t-SNE (van der Maaten &amp; Hinton, JMLR 2008) of binary codes into 2-D, with the Hamming
/// distance as the input dissimilarity. For ±1 codes the Hamming distance is a quarter of the
/// squared Euclidean distance, so it takes the place of the squared distance in the Gaussian
/// affinities. O(n²) per iteration: meant for a sample of up to a few thousand codes. No t-SNE
/// package is served to this project, hence this compact implementation.
/// </summary>
internal static class HammingTsne
{
    /// <summary>Embeds <paramref name="codes"/> (n codes of <paramref name="words"/> ulongs) and returns n (x, y) pairs, interleaved.</summary>
    public static double[] Embed(ReadOnlySpan<ulong> codes, int words, double perplexity = 30, int iterations = 500, int seed = 1)
    {
        int n = codes.Length / words;
        if (n < 2) return new double[2 * n];
        perplexity = Math.Min(perplexity, (n - 1) / 3.0);
        double[] p = Affinities(codes, words, n, Math.Max(perplexity, 1.0));
        return Optimize(p, n, iterations, seed);
    }

    /// <summary>Symmetrized joint probabilities P (n x n), each row calibrated to the perplexity by bisection on the precision.</summary>
    private static double[] Affinities(ReadOnlySpan<ulong> codes, int words, int n, double perplexity)
    {
        var distances = new double[n * n];
        var row = new int[n];
        for (int i = 0; i < n; i++)
        {
            HammingKernels.Distances(codes.Slice(i * words, words), codes[..(n * words)], row);
            for (int j = 0; j < n; j++) distances[i * n + j] = row[j];
        }
        var p = new double[n * n];
        double targetEntropy = Math.Log(perplexity);
        Parallel.For(0, n, i =>
        {
            double beta = 1, lo = 0, hi = double.PositiveInfinity;
            Span<double> d = distances.AsSpan(i * n, n);
            Span<double> pi = p.AsSpan(i * n, n);
            for (int step = 0; step < 64; step++)
            {
                double sum = 0, weighted = 0;
                for (int j = 0; j < n; j++)
                {
                    pi[j] = j == i ? 0 : Math.Exp(-beta * d[j]);
                    sum += pi[j];
                    weighted += pi[j] * d[j];
                }
                if (sum <= 0) { hi = beta; beta = (lo + beta) / 2; continue; }
                double entropy = Math.Log(sum) + beta * weighted / sum;
                for (int j = 0; j < n; j++) pi[j] /= sum;
                double diff = entropy - targetEntropy;
                if (Math.Abs(diff) < 1e-5) break;
                if (diff > 0) { lo = beta; beta = double.IsPositiveInfinity(hi) ? beta * 2 : (beta + hi) / 2; }
                else { hi = beta; beta = (beta + lo) / 2; }
            }
        });
        var joint = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                joint[i * n + j] = Math.Max((p[i * n + j] + p[j * n + i]) / (2.0 * n), 1e-12);
        return joint;
    }

    /// <summary>Gradient descent with momentum, per-coordinate gains and early exaggeration, as in the reference implementation.</summary>
    private static double[] Optimize(double[] p, int n, int iterations, int seed)
    {
        var rng = new Random(seed);
        var y = new double[2 * n];
        for (int i = 0; i < y.Length; i++) y[i] = 1e-4 * Gaussian(rng);
        var update = new double[2 * n];
        var gains = new double[2 * n];
        Array.Fill(gains, 1.0);
        var gradient = new double[2 * n];
        var q = new double[n * n];
        var rowSums = new double[n];
        double learningRate = Math.Max(n / 12.0, 50);
        for (int iter = 0; iter < iterations; iter++)
        {
            double exaggeration = iter < Math.Min(100, iterations / 4) ? 12 : 1;
            double momentum = iter < 250 ? 0.5 : 0.8;
            Parallel.For(0, n, i =>
            {
                double local = 0;
                for (int j = 0; j < n; j++)
                {
                    if (j == i) { q[i * n + j] = 0; continue; }
                    double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
                    double w = 1 / (1 + dx * dx + dy * dy);
                    q[i * n + j] = w;
                    local += w;
                }
                rowSums[i] = local;
            });
            double z = 0;
            for (int i = 0; i < n; i++) z += rowSums[i]; // in order: the embedding does not depend on thread timing
            Parallel.For(0, n, i =>
            {
                double gx = 0, gy = 0;
                for (int j = 0; j < n; j++)
                {
                    double w = q[i * n + j];
                    double m = (exaggeration * p[i * n + j] - w / z) * w;
                    gx += m * (y[2 * i] - y[2 * j]);
                    gy += m * (y[2 * i + 1] - y[2 * j + 1]);
                }
                gradient[2 * i] = 4 * gx;
                gradient[2 * i + 1] = 4 * gy;
            });
            for (int k = 0; k < y.Length; k++)
            {
                gains[k] = Math.Sign(gradient[k]) != Math.Sign(update[k]) ? gains[k] + 0.2 : Math.Max(gains[k] * 0.8, 0.01);
                update[k] = momentum * update[k] - learningRate * gains[k] * gradient[k];
                y[k] += update[k];
            }
            double mx = 0, my = 0;
            for (int i = 0; i < n; i++) { mx += y[2 * i]; my += y[2 * i + 1]; }
            for (int i = 0; i < n; i++) { y[2 * i] -= mx / n; y[2 * i + 1] -= my / n; }
        }
        return y;
    }

    /// <summary>Kullback-Leibler divergence KL(P || Q) of an embedding (for tests: t-SNE's own objective).</summary>
    internal static double Divergence(ReadOnlySpan<ulong> codes, int words, double[] y, double perplexity = 30)
    {
        int n = codes.Length / words;
        double[] p = Affinities(codes, words, n, Math.Max(Math.Min(perplexity, (n - 1) / 3.0), 1.0));
        double z = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j) z += 1 / (1 + Sq(y[2 * i] - y[2 * j]) + Sq(y[2 * i + 1] - y[2 * j + 1]));
        double kl = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (i == j) continue;
                double qij = 1 / (1 + Sq(y[2 * i] - y[2 * j]) + Sq(y[2 * i + 1] - y[2 * j + 1])) / z;
                kl += p[i * n + j] * Math.Log(p[i * n + j] / qij);
            }
        return kl;
    }

    private static double Sq(double v) => v * v;

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
