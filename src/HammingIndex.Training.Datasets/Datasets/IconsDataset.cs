using System.Text.Json;
using System.Text.RegularExpressions;
using HammingIndex.Training.Evaluation;

namespace HammingIndex.Training.Datasets;

/// <summary>
/// Material Design Icons (npm <c>@mdi/svg</c> 7.4.47, fetched by scripts/fetch-data.sh) as an
/// image-text-multilabel set shaped like MIRFlickr: every icon with at least one tag (5,382 of
/// 7,447) is an item; image = its 24x24 SVG path rasterized to <c>size</c> x <c>size</c> grey
/// pixels (coverage 0..1, SkiaSharp); text = binary bag of words of its name and aliases split on
/// '-' (vocabulary: words in at least two training items); labels = its tags (61, multi-label;
/// relevant = shares a tag). Split: a seeded shuffle; the first <c>queryCount</c> items are the
/// queries, the rest the training set and database.
/// </summary>
public sealed partial record IconsDataset(
    CrossModalSplit Train, CrossModalSplit Test,
    IReadOnlyList<string> TrainNames, IReadOnlyList<string> TestNames,
    IReadOnlyList<string> TagNames, IReadOnlyList<string> Vocabulary)
{
    /// <summary>Folder under the data cache (see <see cref="DataDirectory"/>).</summary>
    public const string Subdirectory = "mdi";

    /// <summary>Default raster side in pixels.</summary>
    public const int DefaultImageSize = 32;

    /// <summary>Default number of queries.</summary>
    public const int DefaultQueryCount = 1000;

    /// <summary>Seed of the fixed split.</summary>
    public const int DefaultSeed = 7447;

    /// <summary>
    /// Loads the icons from <paramref name="directory"/> (the folder holding <c>package/meta.json</c>
    /// and <c>package/svg/</c>), or from the data cache when null.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The package is absent; the message says how to fetch it.</exception>
    /// <exception cref="InvalidDataException">meta.json or an SVG file is not as expected.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or count is out of range.</exception>
    public static IconsDataset Load(string? directory = null, int imageSize = DefaultImageSize, int queryCount = DefaultQueryCount, int seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(imageSize, 256);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queryCount);
        directory ??= DataDirectory.Find(Subdirectory, Path.Combine("package", "meta.json"))
            ?? throw new DirectoryNotFoundException(DataDirectory.MissingMessage("Material Design Icons", Subdirectory));
        string metaPath = Path.Combine(directory, "package", "meta.json");
        if (!File.Exists(metaPath))
            throw new DirectoryNotFoundException($"'{metaPath}' does not exist. " + DataDirectory.MissingMessage("Material Design Icons", Subdirectory));

        List<IconMeta> icons = ReadMeta(metaPath).Where(i => i.Tags.Length > 0).ToList();
        if (queryCount >= icons.Count)
            throw new ArgumentOutOfRangeException(nameof(queryCount), queryCount, $"Only {icons.Count} tagged icons: fewer queries are needed to leave a database.");

        string[] tagNames = icons.SelectMany(i => i.Tags).Distinct().Order(StringComparer.Ordinal).ToArray();
        var tagIndex = tagNames.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);

        int[] order = Enumerable.Range(0, icons.Count).ToArray();
        new Random(seed).Shuffle(order);
        int[] testRows = order[..queryCount], trainRows = order[queryCount..];

        // Vocabulary from the training items only: words in at least two of them.
        string[][] words = icons.Select(Words).ToArray();
        string[] vocabulary = trainRows.SelectMany(r => words[r]).GroupBy(w => w)
            .Where(g => g.Count() >= 2).Select(g => g.Key).Order(StringComparer.Ordinal).ToArray();
        var wordIndex = vocabulary.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i);

        var images = new FeatureMatrix(icons.Count, imageSize * imageSize);
        var texts = new FeatureMatrix(icons.Count, vocabulary.Length);
        string svgDirectory = Path.Combine(directory, "package", "svg");
        using (var rasterizer = new SvgPathRasterizer(imageSize))
        {
            for (int i = 0; i < icons.Count; i++)
            {
                string svgPath = Path.Combine(svgDirectory, icons[i].Name + ".svg");
                if (!File.Exists(svgPath)) throw new InvalidDataException($"'{svgPath}' is listed in {metaPath} but does not exist.");
                rasterizer.Rasterize(PathData(svgPath), images.Row(i));
                foreach (string w in words[i])
                    if (wordIndex.TryGetValue(w, out int j)) texts[i, j] = 1;
            }
        }
        LabelSet labels = LabelSet.FromLists(icons.Select(i => (IReadOnlyCollection<int>)i.Tags.Select(t => tagIndex[t]).ToArray()).ToList(), tagNames.Length);
        var all = new CrossModalSplit(images, texts, labels);
        return new IconsDataset(all.SelectRows(trainRows), all.SelectRows(testRows),
            trainRows.Select(r => icons[r].Name).ToArray(), testRows.Select(r => icons[r].Name).ToArray(), tagNames, vocabulary);
    }

    private static string[] Words(IconMeta icon) =>
        new[] { icon.Name }.Concat(icon.Aliases).SelectMany(s => s.ToLowerInvariant().Split('-', StringSplitOptions.RemoveEmptyEntries)).Distinct().ToArray();

    /// <summary>The path data of every &lt;path d="..."&gt; of an SVG file, joined (each starts with a moveto).</summary>
    private static string PathData(string svgPath)
    {
        string svg = File.ReadAllText(svgPath);
        string[] parts = PathAttribute().Matches(svg).Select(m => m.Groups[1].Value).ToArray();
        if (parts.Length == 0) throw new InvalidDataException($"'{svgPath}' has no <path d=\"...\"> element.");
        return string.Join(' ', parts);
    }

    [GeneratedRegex("<path[^>]*?\\sd=\"([^\"]*)\"")]
    private static partial Regex PathAttribute();

    private sealed record IconMeta(string Name, string[] Aliases, string[] Tags);

    private static List<IconMeta> ReadMeta(string metaPath)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(metaPath));
            var result = new List<IconMeta>();
            foreach (JsonElement e in doc.RootElement.EnumerateArray())
            {
                string name = e.GetProperty("name").GetString() ?? throw new InvalidDataException($"{metaPath}: an icon has a null name.");
                if (name.Contains('/') || name.Contains('\\') || name.Contains(".."))
                    throw new InvalidDataException($"{metaPath}: icon name '{name}' is not a plain file name.");
                string[] Strings(string property) => e.TryGetProperty(property, out JsonElement a)
                    ? a.EnumerateArray().Select(x => x.GetString() ?? "").Where(x => x.Length > 0).ToArray()
                    : [];
                result.Add(new IconMeta(name, Strings("aliases"), Strings("tags")));
            }
            return result;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{metaPath}: not the @mdi/svg meta.json layout ({ex.Message}).", ex);
        }
    }
}
