namespace HammingIndex.Training.Tests.Scratch;

/// <summary>Small random paired data: both modalities are noisy functions of shared classes.</summary>
internal sealed record PairedData(FeatureMatrix Image, FeatureMatrix Text, FeatureMatrix Labels)
{
    public static PairedData Create(int n, int imageColumns, int textColumns, int classes, int seed, bool multiLabel = true)
    {
        var random = new Random(seed);
        var imageCentres = Gaussian(random, classes * imageColumns);
        var textCentres = Gaussian(random, classes * textColumns);
        var image = new double[n * imageColumns];
        var text = new double[n * textColumns];
        var labels = new double[n * classes];
        for (int i = 0; i < n; i++)
        {
            int main = random.Next(classes);
            labels[i * classes + main] = 1;
            if (multiLabel && random.NextDouble() < 0.3) labels[i * classes + random.Next(classes)] = 1;
            for (int k = 0; k < imageColumns; k++) image[i * imageColumns + k] = imageCentres[main * imageColumns + k] + 0.7 * NextGaussian(random);
            for (int k = 0; k < textColumns; k++) text[i * textColumns + k] = textCentres[main * textColumns + k] + 0.7 * NextGaussian(random);
        }
        return new PairedData(new FeatureMatrix(n, imageColumns, image), new FeatureMatrix(n, textColumns, text), new FeatureMatrix(n, classes, labels));
    }

    public static double[] Gaussian(Random random, int count)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = NextGaussian(random);
        return values;
    }

    public static double NextGaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
