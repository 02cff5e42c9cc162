using HammingIndex.Training;
using HammingIndex.Training.Datasets;
using HammingIndex.Training.Evaluation;
using HammingIndex.Training.IO;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>A train/test pair of splits, with label names when the set has them.</summary>
internal sealed record DatasetSplits(string Name, CrossModalSplit Train, CrossModalSplit Test, IReadOnlyList<string>? LabelNames);

/// <summary>
/// Loads the split an evaluation runs on: a folder of six files named I_tr, T_tr, L_tr, I_te,
/// T_te, L_te (any supported feature extension; the Wiki layout), or a named data set
/// (wiki, icons, segment) from its loader.
/// </summary>
internal static class DatasetInput
{
    public static readonly string[] Stems = ["I_tr", "T_tr", "L_tr", "I_te", "T_te", "L_te"];

    public static Task<DatasetSplits> LoadAsync(CliConsole console, string? directory, string? dataset, CancellationToken cancellationToken) =>
        LoadAsync(console, directory, dataset, new string?[Stems.Length], null, cancellationToken);

    /// <summary>
    /// As above, with explicit file paths (in <see cref="Stems"/> order; null = find the stem in
    /// <paramref name="directory"/>) and an optional file of label names, one per line.
    /// </summary>
    public static async Task<DatasetSplits> LoadAsync(CliConsole console, string? directory, string? dataset, IReadOnlyList<string?> files, string? labelNamesPath,
        CancellationToken cancellationToken)
    {
        bool anyFile = files.Any(f => f is not null);
        if (dataset is not null && (directory is not null || anyFile)) throw new CliException("give either --dataset or --data / the file options, not both.");
        if (dataset is null && directory is null && files.Any(f => f is null))
            throw new CliException($"give --data DIR, or every file option ({string.Join(", ", FileOptions)}), or --dataset wiki|icons|segment.");
        if (directory is null && anyFile)
        {
            var explicitPaths = files.Select(f => f!).ToArray();
            return await FromFilesAsync(console, explicitPaths, "files", labelNamesPath, cancellationToken);
        }
        if (dataset is not null)
        {
            return dataset.Trim().ToLowerInvariant() switch
            {
                "wiki" => FromWiki(WikiDataset.Load()),
                "icons" or "mdi" => FromIcons(IconsDataset.Load()),
                "segment" or "segmentation" => FromSegmentation(SegmentationDataset.Load()),
                _ => throw new CliException($"--dataset must be wiki, icons or segment, not '{dataset}'."),
            };
        }
        if (directory is null) throw new CliException("give --data DIR (files I_tr, T_tr, L_tr, I_te, T_te, L_te) or --dataset wiki|icons|segment.");
        if (!Directory.Exists(directory)) throw new CliException($"{directory}: no such directory.");
        var paths = new string[Stems.Length];
        for (int i = 0; i < Stems.Length; i++)
        {
            if (files[i] is { } given)
            {
                paths[i] = File.Exists(given) || Path.IsPathRooted(given) ? given : Path.Combine(directory, given);
                continue;
            }
            string[] found = FeatureFiles.Extensions.Select(e => Path.Combine(directory, Stems[i] + e)).Where(File.Exists).ToArray();
            if (found.Length == 0) throw new CliException($"{directory} has no {Stems[i]} file ({string.Join(", ", FeatureFiles.Extensions.Select(e => Stems[i] + e))}).");
            if (found.Length > 1) throw new CliException($"{directory} has several {Stems[i]} files: {string.Join(", ", found.Select(Path.GetFileName))}.");
            paths[i] = found[0];
        }
        return await FromFilesAsync(console, paths, Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/')), labelNamesPath, cancellationToken);
    }

    /// <summary>The file options of <c>hamming eval</c>, in <see cref="Stems"/> order.</summary>
    public static readonly string[] FileOptions = ["--train-images", "--train-texts", "--train-labels", "--test-images", "--test-texts", "--test-labels"];

    private static async Task<DatasetSplits> FromFilesAsync(CliConsole console, string[] paths, string name, string? labelNamesPath, CancellationToken cancellationToken)
    {
        foreach (string path in paths)
            if (!File.Exists(path)) throw new CliException($"{path}: no such file.");
        IReadOnlyList<string>? labelNames = null;
        if (labelNamesPath is not null)
        {
            if (!File.Exists(labelNamesPath)) throw new CliException($"{labelNamesPath}: no such file.");
            labelNames = (await File.ReadAllLinesAsync(labelNamesPath, cancellationToken)).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        }
        async Task<CrossModalSplit> Split(int first)
        {
            FeatureMatrix images = await FeatureInput.ReadAllAsync(console, paths[first], cancellationToken);
            FeatureMatrix texts = await FeatureInput.ReadAllAsync(console, paths[first + 1], cancellationToken);
            LabelSet labels = await LabelFiles.ReadAsync(paths[first + 2], cancellationToken);
            if (images.Rows != texts.Rows || images.Rows != labels.Count)
                throw new CliException($"row counts disagree: {paths[first]} has {images.Rows}, {paths[first + 1]} has {texts.Rows}, {paths[first + 2]} has {labels.Count}.");
            return new CrossModalSplit(images, texts, labels);
        }
        DatasetSplits splits = new(name, await Split(0), await Split(3), labelNames);
        if (labelNames is not null && labelNames.Count != splits.Train.Labels.LabelCount)
            throw new CliException($"{labelNamesPath} names {labelNames.Count} labels, but the label files have {splits.Train.Labels.LabelCount} columns.");
        return splits;
    }

    public static DatasetSplits FromWiki(WikiDataset wiki) => new("Wiki", wiki.Train, wiki.Test,
        ["art", "biology", "geography", "history", "literature", "media", "music", "royalty", "sport", "warfare"]);

    public static DatasetSplits FromIcons(IconsDataset icons) => new("Material Design Icons", icons.Train, icons.Test, icons.TagNames);

    public static DatasetSplits FromSegmentation(SegmentationDataset segment) => new("UCI Image Segmentation", segment.Train, segment.Test, segment.ClassNames);
}
