namespace HammingIndex.Storage;

/// <summary>
/// The one way every format writes a whole file: into a temporary file beside the target
/// (<c>target.tmp</c>), flushed to disk, renamed over the target, then the directory flushed.
/// A reader sees either the old file or the complete new one; on any failure the temporary file is
/// removed and the target is left as it was. A crash can leave the temporary file behind; the next
/// write to the same target reuses (truncates) it.
/// </summary>
internal static class AtomicFile
{
    /// <summary>What is appended to the target's path to name the temporary file.</summary>
    public const string TemporarySuffix = ".tmp";

    /// <summary>The temporary file a write to <paramref name="path"/> goes through.</summary>
    public static string TemporaryPathFor(string path) => path + TemporarySuffix;

    /// <summary>Checks, before any work starts, that <paramref name="path"/> can be written.</summary>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    /// <exception cref="IOException">The path is a directory, its directory does not exist, or the file exists and <paramref name="overwrite"/> is false.</exception>
    public static string CheckTarget(string path, bool overwrite, string paramName = "path")
    {
        ArgumentException.ThrowIfNullOrEmpty(path, paramName);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new IOException($"{full}: is a directory; name a file to write.");
        string? directory = Path.GetDirectoryName(full);
        if (directory is not null && !Directory.Exists(directory))
            throw new DirectoryNotFoundException($"{full}: the directory {directory} does not exist.");
        if (!overwrite && File.Exists(full)) throw new IOException($"{full}: a file already exists (overwrite it explicitly or choose another name).");
        return full;
    }

    /// <summary>Writes <paramref name="path"/> atomically with <paramref name="write"/>.</summary>
    /// <param name="path">The target file.</param>
    /// <param name="write">Writes the whole content to the stream it is given (positioned at 0, empty).</param>
    /// <param name="overwrite">Whether an existing target is replaced; false refuses it before writing anything.</param>
    /// <exception cref="IOException">The target is a directory, exists (with <paramref name="overwrite"/> false), or cannot be written.</exception>
    public static void Write(string path, Action<Stream> write, bool overwrite = true) => Write(path, write, overwrite, StoreFileSystem.Default);

    /// <summary>Writes <paramref name="path"/> atomically with <paramref name="write"/>, through <paramref name="fileSystem"/> (tests inject faults there).</summary>
    /// <inheritdoc cref="Write(string, Action{Stream}, bool)"/>
    internal static void Write(string path, Action<Stream> write, bool overwrite, StoreFileSystem fileSystem)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = CheckTarget(path, overwrite);
        string temporary = TemporaryPathFor(full);
        try
        {
            using (StoreFile file = fileSystem.Open(temporary, FileMode.Create))
            {
                file.SetLength(0);
                using (var stream = new BufferedStream(new StoreFileStream(file), 1 << 16))
                {
                    write(stream);
                    stream.Flush();
                }
                file.Sync();
            }
            fileSystem.Move(temporary, full, overwrite);
            fileSystem.SyncDirectory(full);
        }
        catch
        {
            TryDelete(temporary, fileSystem);
            throw;
        }
    }

    /// <summary>Removes a file if it exists, swallowing the failure (used on paths that are already failing).</summary>
    public static void TryDelete(string path) => TryDelete(path, StoreFileSystem.Default);

    /// <summary>Removes a file through <paramref name="fileSystem"/> if it exists, swallowing the failure.</summary>
    internal static void TryDelete(string path, StoreFileSystem fileSystem)
    {
        try
        {
            fileSystem.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
