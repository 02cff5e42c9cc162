using HammingIndex.Training;
using MathNet.Numerics.Distributions;

namespace HammingIndex.Unsupervised;

/// <summary>Synthetic paired data for the scaling run: 50 latent clusters in 16 dimensions, each modality a random linear view of the latent point plus noise.</summary>
internal static class Synthetic
{
    public static (FeatureMatrix Image, FeatureMatrix Text) Pairs(int n, int dims, int seed)
    {
        const int Latent = 16, Clusters = 50;
        var random = new Random(seed);
        var centres = new double[Clusters * Latent];
        Normal.Samples(random, centres, 0, 1);
        var ax = new double[Latent * dims];
        var ay = new double[Latent * dims];
        Normal.Samples(random, ax, 0, 1);
        Normal.Samples(random, ay, 0, 1);
        var image = new double[(long)n * dims];
        var text = new double[(long)n * dims];
        var z = new double[Latent];
        var noise = new double[dims];
        for (int i = 0; i < n; i++)
        {
            int cluster = random.Next(Clusters);
            for (int l = 0; l < Latent; l++) z[l] = centres[cluster * Latent + l] + 0.5 * Normal.Sample(random, 0, 1);
            foreach ((double[] a, double[] target) in new[] { (ax, image), (ay, text) })
            {
                Normal.Samples(random, noise, 0, 1);
                for (int j = 0; j < dims; j++)
                {
                    double v = noise[j];
                    for (int l = 0; l < Latent; l++) v += z[l] * a[l * dims + j];
                    target[(long)i * dims + j] = v;
                }
            }
        }
        return (new FeatureMatrix(n, dims, image), new FeatureMatrix(n, dims, text));
    }
}
