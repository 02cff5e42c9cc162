using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace HammingIndex.Storage;

/// <summary>
/// Asks the kernel to start reading file ranges into the page cache now, without waiting
/// (posix_fadvise POSIX_FADV_WILLNEED, Linux): many scattered small reads, such as one checksum
/// record per store block, then overlap on the disk instead of each waiting for the last. A hint only:
/// nothing happens elsewhere, and a failure is ignored (the reads that follow simply wait).
/// </summary>
internal static partial class ReadAhead
{
    private const int WillNeedAdvice = 3; // POSIX_FADV_WILLNEED on Linux

    public static void WillNeed(SafeFileHandle handle, long offset, long length)
    {
        if (!OperatingSystem.IsLinux() || length <= 0 || offset < 0) return;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            _ = Fadvise((int)handle.DangerousGetHandle(), offset, length, WillNeedAdvice);
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int Fadvise(int fd, long offset, long length, int advice);
}
