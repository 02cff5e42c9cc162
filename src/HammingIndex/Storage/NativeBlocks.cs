using System.Runtime.InteropServices;

namespace HammingIndex.Storage;

/// <summary>
/// Zeroed native memory for data read at random: a multi-index's tables built in memory, an in-memory
/// store's blocks. From <see cref="HugePagesFrom"/> bytes on it is aligned to 2 MiB and advised for
/// transparent huge pages before its first touch (<see cref="ReadAhead.HugePages"/>), so a probe costs
/// one TLB entry per 2 MiB rather than a page walk per 4 KiB page; smaller blocks keep their alignment
/// (a huge page would be mostly waste). Freed with <see cref="Free"/> whichever way it was allocated.
/// </summary>
internal static unsafe class NativeBlocks
{
    /// <summary>The least block advised for huge pages.</summary>
    public const long HugePagesFrom = 4 * ReadAhead.HugePageBytes;

    /// <summary>Whether large blocks are advised for huge pages (benchmarks compare both in one process).</summary>
    internal static bool UseHugePages { get; set; } = true;

    /// <summary>
    /// <paramref name="length"/> zeroed bytes aligned to at least <paramref name="alignment"/> (a power of
    /// two); the memory behind a large block is rounded up to whole huge pages.
    /// </summary>
    public static byte* AllocateZeroed(long length, nuint alignment) => AllocateZeroed(length, alignment, UseHugePages);

    /// <summary>As <see cref="AllocateZeroed(long, nuint)"/>, advised for huge pages (when large) only if <paramref name="hugePages"/>.</summary>
    internal static byte* AllocateZeroed(long length, nuint alignment, bool hugePages)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        byte* pointer;
        if (hugePages && length >= HugePagesFrom && OperatingSystem.IsLinux())
        {
            long page = ReadAhead.HugePageBytes, rounded = (length + page - 1) / page * page;
            pointer = (byte*)NativeMemory.AlignedAlloc((nuint)rounded, (nuint)Math.Max(page, (long)alignment));
            ReadAhead.HugePages(pointer, rounded);
        }
        else pointer = (byte*)NativeMemory.AlignedAlloc((nuint)length, alignment);
        // Cleared after the advice, so the first touch of each 2 MiB faults in a huge page.
        NativeMemory.Clear(pointer, (nuint)length);
        return pointer;
    }

    /// <summary>Frees a block from <see cref="AllocateZeroed(long, nuint)"/>.</summary>
    public static void Free(void* pointer) => NativeMemory.AlignedFree(pointer);
}
