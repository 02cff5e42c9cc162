using HammingIndex.Storage;

namespace HammingIndex.Training.IO;

/// <summary>
/// A file being written by a streaming writer, the way <see cref="AtomicFile"/> writes a whole file:
/// into <c>target.tmp</c> beside the target; <see cref="CommitAll"/> flushes every pending file of
/// one output to disk first and only then renames them over their targets (and flushes the
/// directories), so a failure while writing or flushing changes no target. Disposed uncommitted, the
/// temporary file is removed.
/// </summary>
internal sealed class PendingFile : IDisposable
{
    private readonly string _temporary;
    private bool _done;

    private PendingFile(string target, bool overwrite)
    {
        Target = AtomicFile.CheckTarget(target, overwrite);
        _temporary = AtomicFile.TemporaryPathFor(Target);
        Stream = new FileStream(_temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, PipeFile.BufferSize);
    }

    /// <summary>The file that appears on commit (full path).</summary>
    public string Target { get; }

    /// <summary>The temporary file's stream (seekable).</summary>
    public FileStream Stream { get; }

    /// <summary>Starts writing <paramref name="target"/>; an existing target is refused unless <paramref name="overwrite"/>.</summary>
    /// <exception cref="IOException">The target is a directory, its directory does not exist, it exists (without <paramref name="overwrite"/>), or the temporary file cannot be created.</exception>
    public static PendingFile Create(string target, bool overwrite = true) => new(target, overwrite);

    /// <summary>
    /// Flushes every file to disk, then renames each over its target and flushes the directories.
    /// On failure before the first rename, no target has changed and the temporary files are removed.
    /// </summary>
    public static void CommitAll(IEnumerable<PendingFile> files)
    {
        PendingFile[] all = [.. files];
        foreach (PendingFile f in all)
        {
            f.Stream.Flush(flushToDisk: true);
            f.Stream.Dispose();
        }
        foreach (PendingFile f in all)
        {
            File.Move(f._temporary, f.Target, overwrite: true);
            f._done = true;
        }
        foreach (PendingFile f in all.DistinctBy(f => Path.GetDirectoryName(f.Target))) DirectorySync.Flush(f.Target);
    }

    /// <summary>Abandons an uncommitted file: closes it and removes the temporary file.</summary>
    public void Dispose()
    {
        if (_done) return;
        _done = true;
        Stream.Dispose();
        AtomicFile.TryDelete(_temporary);
    }
}
