using HammingIndex.Training;
using HammingIndex.Training.IO;

namespace HammingIndex.Cli.Tests;

/// <summary>
/// A small synthetic two-view labelled set written to disk in the Wiki layout (I_tr, T_tr, L_tr,
/// I_te, T_te, L_te): each class has a centre in each view, items are centre + noise, so a
/// cross-modal hasher can link the views and LSH cannot.
/// </summary>
internal sealed class TwoViewData
{
    public const int Classes = 3, ImageDim = 8, TextDim = 5;

    public TwoViewData(string directory, int train = 120, int test = 40, int seed = 11, string imageExt = ".fvecs", string textExt = ".csv", string labelExt = ".npy")
    {
        var rng = new Random(seed);
        double[][] imageCentres = Centres(rng, ImageDim), textCentres = Centres(rng, TextDim);
        (TrainImages, TrainTexts, TrainLabels) = Split(rng, train, imageCentres, textCentres);
        (TestImages, TestTexts, TestLabels) = Split(rng, test, imageCentres, textCentres);
        Directory = directory;
        ImagesTrain = Write("I_tr" + imageExt, TrainImages);
        TextsTrain = Write("T_tr" + textExt, TrainTexts);
        LabelsTrain = Write("L_tr" + labelExt, TrainLabels);
        ImagesTest = Write("I_te" + imageExt, TestImages);
        TextsTest = Write("T_te" + textExt, TestTexts);
        LabelsTest = Write("L_te" + labelExt, TestLabels);
    }

    public string Directory { get; }
    public FeatureMatrix TrainImages { get; }
    public FeatureMatrix TrainTexts { get; }
    public FeatureMatrix TrainLabels { get; }
    public FeatureMatrix TestImages { get; }
    public FeatureMatrix TestTexts { get; }
    public FeatureMatrix TestLabels { get; }
    public string ImagesTrain { get; }
    public string TextsTrain { get; }
    public string LabelsTrain { get; }
    public string ImagesTest { get; }
    public string TextsTest { get; }
    public string LabelsTest { get; }

    private string Write(string name, FeatureMatrix m)
    {
        string path = Path.Combine(Directory, name);
        FeatureFiles.Write(path, m);
        return path;
    }

    private static double[][] Centres(Random rng, int dim) =>
        Enumerable.Range(0, Classes).Select(_ => Enumerable.Range(0, dim).Select(_ => rng.NextDouble() * 10).ToArray()).ToArray();

    private static (FeatureMatrix, FeatureMatrix, FeatureMatrix) Split(Random rng, int n, double[][] imageCentres, double[][] textCentres)
    {
        var images = new FeatureMatrix(n, ImageDim);
        var texts = new FeatureMatrix(n, TextDim);
        var labels = new FeatureMatrix(n, Classes);
        for (int i = 0; i < n; i++)
        {
            int c = i % Classes;
            for (int j = 0; j < ImageDim; j++) images[i, j] = (float)(imageCentres[c][j] + rng.NextDouble() - 0.5);
            for (int j = 0; j < TextDim; j++) texts[i, j] = (float)(textCentres[c][j] + rng.NextDouble() - 0.5);
            labels[i, c] = 1;
        }
        return (images, texts, labels);
    }
}
