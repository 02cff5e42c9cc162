using System.Runtime.InteropServices;

namespace HammingIndex.Storage;

/// <summary>
/// Makes a rename or a new file name durable: fsync on the directory (POSIX). .NET has no API for it
/// (a directory cannot be opened as a FileStream), so this calls libc. Elsewhere it does nothing.
/// </summary>
internal static partial class DirectorySync
{
    public static void Flush(string filePath)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD()) return;
        string directory = Path.GetDirectoryName(Path.GetFullPath(filePath)) ?? "/";
        int fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"{directory}: cannot open the directory to flush it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"{directory}: fsync of the directory failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
