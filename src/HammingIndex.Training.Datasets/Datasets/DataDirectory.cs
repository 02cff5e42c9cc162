namespace HammingIndex.Training.Datasets;

/// <summary>
/// Where scripts/fetch-data.sh caches the fetched data sets: <c>$HAMMINGINDEX_DATA</c> if set,
/// else the first <c>.data/</c> folder found in the application's directory, the current
/// directory, or any of their parents (the repository root holds it).
/// </summary>
public static class DataDirectory
{
    /// <summary>Environment variable that overrides the cache folder.</summary>
    public const string Variable = "HAMMINGINDEX_DATA";

    /// <summary>
    /// The first folder <c>&lt;cache&gt;/<paramref name="subdirectory"/></c> that holds
    /// <paramref name="marker"/> (a relative file path), or null when there is none.
    /// </summary>
    public static string? Find(string subdirectory, string marker)
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            string candidate = Path.Combine(fromEnvironment, subdirectory);
            return File.Exists(Path.Combine(candidate, marker)) ? candidate : null;
        }
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, ".data", subdirectory);
                if (File.Exists(Path.Combine(candidate, marker))) return candidate;
            }
        }
        return null;
    }

    /// <summary>The message for a data set that is not in the cache: how to fetch it.</summary>
    public static string MissingMessage(string what, string subdirectory) =>
        $"The {what} data set was not found in .data/{subdirectory} (looked in ${Variable}, and in every parent of " +
        $"'{AppContext.BaseDirectory}' and of '{Environment.CurrentDirectory}'). Fetch it with scripts/fetch-data.sh " +
        $"from the repository root (pinned package versions; cached, so it runs once).";
}
