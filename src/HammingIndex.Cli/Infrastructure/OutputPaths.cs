namespace HammingIndex.Cli.Infrastructure;

/// <summary>
/// Checks, before a command does any work, that each file it will write can be written: not a
/// directory, in an existing directory, not an existing file (unless overwriting), and writable
/// (a temporary file is created beside it and removed). Every output is written atomically later.
/// </summary>
internal static class OutputPaths
{
    /// <summary>Refuses <paramref name="path"/> (given by <paramref name="option"/>) as an output, with one clear line.</summary>
    /// <exception cref="CliException">The path cannot be written.</exception>
    public static void Check(string path, string option, bool overwrite)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new CliException($"{option} {path}: is a directory; name a file to write.");
        string? directory = Path.GetDirectoryName(full);
        if (directory is not null && !Directory.Exists(directory)) throw new CliException($"{option} {path}: the directory {directory} does not exist.");
        if (!overwrite && File.Exists(full)) throw new CliException($"{option} {path} already exists; give --overwrite to replace it.");
        string probe = Storage.AtomicFile.TemporaryPathFor(full);
        try
        {
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1)) { }
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{option} {path}: cannot be written ({e.Message})");
        }
    }
}
