using System.Runtime.InteropServices;

namespace HammingIndex.Tests.Kernels;

/// <summary>
/// GuardPageCalls memory whose last element sits right before an inaccessible page (Linux), so a kernel that
/// reads one byte past its input crashes the test instead of passing silently. Elsewhere it is
/// plain native memory.
/// </summary>
internal sealed unsafe class GuardedBuffer<T> : IDisposable where T : unmanaged
{
    private const int ProtRead = 1, ProtWrite = 2, MapPrivate = 0x02, MapAnonymous = 0x20;
    private static readonly nuint PageSize = (nuint)Environment.SystemPageSize;
    private readonly void* _mapping;
    private readonly nuint _mappedBytes;

    public GuardedBuffer(ReadOnlySpan<T> contents)
    {
        Length = contents.Length;
        nuint bytes = (nuint)(contents.Length * sizeof(T));
        nuint dataPages = (bytes + PageSize - 1) / PageSize;
        _mappedBytes = (dataPages + 1) * PageSize;
        if (OperatingSystem.IsLinux())
        {
            _mapping = GuardPageCalls.Mmap(null, _mappedBytes, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
            if (_mapping == (void*)-1) throw new InvalidOperationException("mmap failed.");
            byte* guard = (byte*)_mapping + dataPages * PageSize;
            if (GuardPageCalls.Mprotect(guard, PageSize, 0) != 0) throw new InvalidOperationException("mprotect failed.");
            Pointer = (T*)(guard - bytes);
        }
        else
        {
            _mapping = NativeMemory.Alloc(bytes == 0 ? 1 : bytes);
            Pointer = (T*)_mapping;
        }
        contents.CopyTo(new Span<T>(Pointer, Length));
    }

    public T* Pointer { get; }

    public int Length { get; }

    public Span<T> Span => new(Pointer, Length);

    public void Dispose()
    {
        if (OperatingSystem.IsLinux()) _ = GuardPageCalls.Munmap(_mapping, _mappedBytes);
        else NativeMemory.Free(_mapping);
    }
}

/// <summary>The libc calls behind <see cref="GuardedBuffer{T}"/>.</summary>
internal static unsafe partial class GuardPageCalls
{
    [LibraryImport("libc", EntryPoint = "mmap")]
    public static partial void* Mmap(void* addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect")]
    public static partial int Mprotect(void* addr, nuint length, int prot);

    [LibraryImport("libc", EntryPoint = "munmap")]
    public static partial int Munmap(void* addr, nuint length);
}
