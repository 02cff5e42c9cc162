namespace HammingIndex.Storage;

/// <summary>
/// The file operations of the store and of <see cref="AtomicFile"/>, as one seam: <see cref="Default"/>
/// goes to the operating system; a test substitutes a file system that records what reached the disk
/// and injects faults (crashes that drop or tear unsynced writes, EIO, ENOSPC) at any operation.
/// Selected per store by <see cref="CodeStoreOptions"/> (internal), never globally.
/// </summary>
internal class StoreFileSystem
{
    /// <summary>The operating system's files.</summary>
    public static readonly StoreFileSystem Default = new();

    /// <summary>Opens (or creates, per <paramref name="mode"/>) a file for reading and writing, locked against other openers.</summary>
    public virtual StoreFile Open(string path, FileMode mode) =>
        new(path, new FileStream(path, mode, FileAccess.ReadWrite, FileShare.None, bufferSize: 0));

    /// <summary>Renames a file (atomically replacing <paramref name="to"/> when <paramref name="overwrite"/>).</summary>
    public virtual void Move(string from, string to, bool overwrite) => File.Move(from, to, overwrite);

    /// <summary>Removes a file if it exists.</summary>
    public virtual void Delete(string path) => File.Delete(path);

    /// <summary>Whether a file exists.</summary>
    public virtual bool Exists(string path) => File.Exists(path);

    /// <summary>Makes the names in the directory of <paramref name="filePath"/> durable (fsync on the directory).</summary>
    public virtual void SyncDirectory(string filePath) => DirectorySync.Flush(filePath);
}
