using HammingIndex.Training.Evaluation;
using HammingIndex.Training.IO;

namespace HammingIndex.Training.Datasets;

/// <summary>
/// UCI Image Segmentation (Vision Group, UMass, 1990) as shipped in Debian's weka package: 3x3
/// outdoor image regions, 7 classes (brickface, sky, foliage, cement, window, path, grass),
/// seen through two views: <see cref="CrossModalSplit.Images"/> = the 9 shape/edge attributes
/// (region centroid, pixel count, line densities, edge means and deviations) and
/// <see cref="CrossModalSplit.Texts"/> = the 10 colour attributes (intensity, raw and excess RGB,
/// value, saturation, hue). Training and database = segment-challenge.arff (1,500 rows),
/// queries = segment-test.arff (810 rows); relevant = same class.
/// </summary>
/// <param name="Train">The training rows (also the database).</param>
/// <param name="Test">The query rows.</param>
/// <param name="ClassNames">The class names, in label order.</param>
public sealed record SegmentationDataset(CrossModalSplit Train, CrossModalSplit Test, IReadOnlyList<string> ClassNames)
{
    /// <summary>Folder under the data cache (see <see cref="DataDirectory"/>).</summary>
    public const string Subdirectory = "segment";

    private const int ShapeAttributes = 9;

    /// <summary>Loads the set from <paramref name="directory"/> (holding the two ARFF files), or from the data cache when null.</summary>
    /// <exception cref="DirectoryNotFoundException">The files are absent; the message says how to fetch them.</exception>
    /// <exception cref="InvalidDataException">A file is not the expected ARFF table.</exception>
    public static SegmentationDataset Load(string? directory = null)
    {
        directory ??= DataDirectory.Find(Subdirectory, "segment-test.arff")
            ?? throw new DirectoryNotFoundException(DataDirectory.MissingMessage("UCI Image Segmentation", Subdirectory));
        string trainPath = Path.Combine(directory, "segment-challenge.arff");
        string testPath = Path.Combine(directory, "segment-test.arff");
        foreach (string path in new[] { trainPath, testPath })
            if (!File.Exists(path)) throw new DirectoryNotFoundException($"'{path}' does not exist. " + DataDirectory.MissingMessage("UCI Image Segmentation", Subdirectory));
        ArffTable train = ArffFile.Read(trainPath), test = ArffFile.Read(testPath);
        (CrossModalSplit trainSplit, string[] classes) = ToSplit(train, trainPath);
        (CrossModalSplit testSplit, string[] testClasses) = ToSplit(test, testPath);
        if (!classes.SequenceEqual(testClasses))
            throw new InvalidDataException($"{testPath}: its classes ({string.Join(", ", testClasses)}) differ from {trainPath}'s ({string.Join(", ", classes)}).");
        return new SegmentationDataset(trainSplit, testSplit, classes);
    }

    private static (CrossModalSplit Split, string[] Classes) ToSplit(ArffTable table, string source)
    {
        int classColumn = table.Attributes.Count - 1;
        if (table.Attributes.Count != 20 || table.Attributes[classColumn].NominalValues is not { } classes)
            throw new InvalidDataException($"{source}: expected 19 numeric attributes and a nominal class, found {table.Attributes.Count} attributes.");
        int[] shape = Enumerable.Range(0, ShapeAttributes).ToArray();
        int[] colour = Enumerable.Range(ShapeAttributes, classColumn - ShapeAttributes).ToArray();
        int[] labels = new int[table.Values.Rows];
        for (int r = 0; r < labels.Length; r++) labels[r] = (int)table.Values[r, classColumn];
        var split = new CrossModalSplit(table.Values.SelectColumns(shape), table.Values.SelectColumns(colour), LabelSet.FromClasses(labels, classes.Length));
        return (split, classes);
    }
}
