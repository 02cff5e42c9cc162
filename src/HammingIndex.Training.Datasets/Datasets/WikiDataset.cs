using HammingIndex.Training.Evaluation;
using HammingIndex.Training.IO;

namespace HammingIndex.Training.Datasets;

/// <summary>
/// The Wiki image-text set (Rasiwasia et al., ACM MM 2010) as shipped with the SCRATCH authors'
/// code and converted to .npy: image = 128-d SIFT bag of visual words, text = 10-d LDA topic
/// proportions, labels = one-hot over 10 categories. Protocol: database (and training set) = the
/// 2,173 training rows, queries = the 693 test rows, relevant = same category.
/// </summary>
/// <param name="Train">The training pairs (also the retrieval database).</param>
/// <param name="Test">The test pairs (the queries).</param>
public sealed record WikiDataset(CrossModalSplit Train, CrossModalSplit Test)
{
    /// <summary>Environment variable that overrides where the .npy files are looked for.</summary>
    public const string DirectoryVariable = "HAMMINGINDEX_WIKI_DIR";

    /// <summary>
    /// Loads the six files I_tr, T_tr, L_tr, I_te, T_te, L_te (.npy) from <paramref name="directory"/>,
    /// or, when it is null, from <see cref="FindDirectory"/>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory (or a file in it) is absent; the message says where it looked.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt or the row counts disagree.</exception>
    public static WikiDataset Load(string? directory = null)
    {
        directory ??= FindDirectory() ?? throw new DirectoryNotFoundException(
            $"The Wiki data set was not found: looked in ${DirectoryVariable}, and in shared/data/wiki next to every parent of '{AppContext.BaseDirectory}' and of the current directory '{Environment.CurrentDirectory}'. " +
            "It ships read-only in ../shared/data/wiki beside the repository; set " + DirectoryVariable + " to its path.");
        foreach (string name in FileNames)
        {
            string path = Path.Combine(directory, name + ".npy");
            if (!File.Exists(path))
                throw new DirectoryNotFoundException($"The Wiki data set is incomplete: '{path}' does not exist.");
        }
        FeatureMatrix Read(string name) => NpyFile.ReadMatrix(Path.Combine(directory, name + ".npy"));
        var train = new CrossModalSplit(Read("I_tr"), Read("T_tr"), LabelSet.FromIndicatorMatrix(Read("L_tr")));
        var test = new CrossModalSplit(Read("I_te"), Read("T_te"), LabelSet.FromIndicatorMatrix(Read("L_te")));
        return new WikiDataset(train, test);
    }

    /// <summary>
    /// Finds the directory holding the Wiki .npy files: <see cref="DirectoryVariable"/> if set,
    /// else the first <c>shared/data/wiki</c> found beside the application's directory, the
    /// current directory, or any of their parents (the repository sits next to <c>shared/</c>).
    /// Returns null when there is none.
    /// </summary>
    public static string? FindDirectory()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
            return HasAllFiles(fromEnvironment) ? fromEnvironment : null;
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "data", "wiki");
                if (HasAllFiles(candidate)) return candidate;
            }
        }
        return null;
    }

    private static readonly string[] FileNames = ["I_tr", "T_tr", "L_tr", "I_te", "T_te", "L_te"];

    private static bool HasAllFiles(string directory) =>
        FileNames.All(name => File.Exists(Path.Combine(directory, name + ".npy")));
}
