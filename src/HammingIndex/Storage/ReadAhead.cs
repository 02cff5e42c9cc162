using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace HammingIndex.Storage;

/// <summary>
/// Asks the kernel to start reading file ranges into the page cache now, without waiting
/// (posix_fadvise POSIX_FADV_WILLNEED, Linux): many scattered small reads, such as one checksum
/// record per store block, then overlap on the disk instead of each waiting for the last. A hint only:
/// nothing happens elsewhere, and a failure is ignored (the reads that follow simply wait). Also the
/// access-pattern advice for maps that are only ever probed at random.
/// </summary>
internal static partial class ReadAhead
{
    private const int WillNeedAdvice = 3; // POSIX_FADV_WILLNEED on Linux

    public static void WillNeed(SafeFileHandle handle, long offset, long length)
    {
        if (length <= 0) return;
        FileAdvice(handle, offset, length, WillNeedAdvice);
    }

    /// <summary>posix_fadvise on Linux (a length of 0: to the end of the file); nothing elsewhere, and a failure is ignored.</summary>
    private static void FileAdvice(SafeFileHandle handle, long offset, long length, int advice)
    {
        if (!OperatingSystem.IsLinux() || length < 0 || offset < 0) return;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            _ = Fadvise((int)handle.DangerousGetHandle(), offset, length, advice);
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private const int DontNeedAdvice = 4; // POSIX_FADV_DONTNEED on Linux

    /// <summary>
    /// Drops the file's clean pages from the page cache (posix_fadvise POSIX_FADV_DONTNEED, Linux): for a
    /// file just written and synced, whose pages sit in the cache in the 4 KiB folios a writable map
    /// left, so that the next read brings them in as a read-only map advised for huge pages asks
    /// (<see cref="HugePages"/>). Nothing is lost: only pages already on disk are dropped. A hint only.
    /// </summary>
    public static void DropCached(SafeFileHandle handle) => FileAdvice(handle, 0, 0, DontNeedAdvice);

    private const int RandomMapAdvice = 1; // MADV_RANDOM on Linux
    private const int DropMappingAdvice = 4; // MADV_DONTNEED on Linux
    private const int WillNeedMapAdvice = 3; // MADV_WILLNEED on Linux
    private const int HugePageAdvice = 14; // MADV_HUGEPAGE on Linux

    /// <summary>The size of a transparent huge page on x86-64 and most arm64 kernels.</summary>
    public const long HugePageBytes = 2 << 20;

    /// <summary>
    /// Asks the kernel to back the memory at <paramref name="start"/> (aligned to <see cref="HugePageBytes"/>)
    /// with transparent huge pages (madvise MADV_HUGEPAGE, Linux; honoured when
    /// /sys/kernel/mm/transparent_hugepage/enabled is "always" or "madvise"): anonymous memory not yet
    /// touched, or a read-only file map whose pages are not cached yet (a file system with large folios,
    /// such as ext4 on Linux 6.x, then reads them in 2 MiB at a time). Memory read at random, such as a
    /// multi-index's offsets and buckets, then costs one TLB entry per 2 MiB instead of a page walk per
    /// 4 KiB probe. A hint only (see <see cref="Advise"/>).
    /// </summary>
    public static unsafe void HugePages(byte* start, long length) => Advise(start, length, HugePageAdvice);

    /// <summary>
    /// Starts reading the mapped pages inside the range now (madvise MADV_WILLNEED, Linux): a pass over a
    /// map advised for random access (see <see cref="RandomAccess"/>) then waits for one large read, not
    /// a fault per page. A hint only (see <see cref="Advise"/>).
    /// </summary>
    public static unsafe void WillNeedMapped(byte* start, long length) => Advise(start, length, WillNeedMapAdvice);

    /// <summary>
    /// Tells the kernel that the mapped bytes at <paramref name="start"/> are read at random
    /// (madvise MADV_RANDOM, Linux): a page fault then reads that page, not the device's read-ahead
    /// window around it (8 MB on some virtual disks), so a probe of a map larger than the page cache
    /// costs one page of I/O instead of thrashing the cache. A hint only (see <see cref="Advise"/>).
    /// </summary>
    public static unsafe void RandomAccess(byte* start, long length) => Advise(start, length, RandomMapAdvice);

    /// <summary>
    /// Drops this process's mapping of the pages inside the range (madvise MADV_DONTNEED, Linux). Only
    /// for shared file mappings: their pages, dirty ones included, stay in the page cache and the next
    /// access maps them again, so no byte is lost; what changes is that a pass over a file larger than
    /// memory no longer keeps every page it touched in its resident set. A hint only (see <see cref="Advise"/>).
    /// </summary>
    public static unsafe void ReleaseMapped(byte* start, long length) => Advise(start, length, DropMappingAdvice);

    /// <summary>
    /// madvise on the whole pages inside the range (the start rounded up and the end down to pages), on
    /// Linux; nothing elsewhere, and a failure is ignored (the advice changes speed and residency, never
    /// what is read).
    /// </summary>
    private static unsafe void Advise(byte* start, long length, int advice)
    {
        if (!OperatingSystem.IsLinux() || start is null || length <= 0) return;
        long page = Environment.SystemPageSize;
        long first = ((long)start + page - 1) & ~(page - 1), end = ((long)start + length) & ~(page - 1);
        if (end > first) _ = Madvise((nint)first, (nuint)(end - first), advice);
    }

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int Fadvise(int fd, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
