using HammingIndex.Training;

namespace HammingIndex.Benchmarks.Training;

/// <summary>
/// Synthetic paired data shaped like Wiki (128-d image, 10-d text, one of 24 classes per pair):
/// each modality is a class centre plus uniform noise.
/// </summary>
internal sealed record SyntheticPairs(FeatureMatrix Image, FeatureMatrix Text, FeatureMatrix Labels)
{
    public static SyntheticPairs Create(int n, int seed = 42, int imageColumns = 128, int textColumns = 10, int classes = 24)
    {
        var random = new Random(seed);
        var imageCentres = new double[classes * imageColumns];
        var textCentres = new double[classes * textColumns];
        for (int k = 0; k < imageCentres.Length; k++) imageCentres[k] = random.NextDouble();
        for (int k = 0; k < textCentres.Length; k++) textCentres[k] = random.NextDouble();
        var image = new double[(long)n * imageColumns];
        var text = new double[(long)n * textColumns];
        var labels = new double[(long)n * classes];
        for (int i = 0; i < n; i++)
        {
            int c = random.Next(classes);
            labels[(long)i * classes + c] = 1;
            for (int k = 0; k < imageColumns; k++) image[(long)i * imageColumns + k] = imageCentres[c * imageColumns + k] + 0.5 * random.NextDouble();
            for (int k = 0; k < textColumns; k++) text[(long)i * textColumns + k] = textCentres[c * textColumns + k] + 0.5 * random.NextDouble();
        }
        return new SyntheticPairs(new FeatureMatrix(n, imageColumns, image), new FeatureMatrix(n, textColumns, text), new FeatureMatrix(n, classes, labels));
    }
}
