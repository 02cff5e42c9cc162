using System.IO.MemoryMappedFiles;

namespace HammingIndex.MultiIndex;

/// <summary>
/// The bytes of one tables image (the <see cref="MultiIndexFile"/> v3 layout): either native memory
/// (an index built in memory) or one read-only memory map of a tables file (one map and one view per
/// file, whatever its size, so far below the kernel's map-count limit). Tables read it in place. The
/// bytes are released by the finalizer once no build (<see cref="MultiIndexTables"/>) references the
/// image: a search holds its build for its whole length, so a rebuild never frees memory a search reads.
/// </summary>
internal abstract unsafe class TablesImage
{
    protected TablesImage(byte* pointer, long length, string? path)
    {
        Pointer = pointer;
        Length = length;
        Path = path;
    }

    /// <summary>The first byte (page-aligned).</summary>
    public byte* Pointer { get; }

    public long Length { get; }

    /// <summary>The mapped file, or null for native memory.</summary>
    public string? Path { get; }

    /// <summary>What errors name: the file, or "(tables in memory)".</summary>
    public string Name => Path ?? "(tables in memory)";

    /// <summary>Writable only while a build fills it (before it is published).</summary>
    public Span<byte> Writable(long offset, int length) => new(Pointer + offset, length);

    /// <summary>Zeroed native memory of <paramref name="length"/> bytes, page-aligned (huge pages when large: <see cref="HammingIndex.Storage.NativeBlocks"/>).</summary>
    public static TablesImage Allocate(long length) => new NativeImage(length);

    /// <summary>
    /// Maps <paramref name="path"/> read-only (its whole length). Tables of at most
    /// <see cref="MappedHugePagesUpTo"/> bytes are advised for huge pages: where the kernel and file system
    /// support it (Linux 6.x on ext4 here), pages read in from the file then arrive as 2 MiB folios mapped
    /// by one TLB entry each, as tables built in memory are (<see cref="HammingIndex.Storage.NativeBlocks"/>);
    /// pages already cached in 4 KiB folios stay as they
    /// are (a build drops the file it wrote from the cache first: <see cref="MultiIndexTableBuilder"/>). Larger
    /// tables are advised for random access instead: a fault reads its page only, so tables larger than
    /// the page cache do not drag the disk's read-ahead window (or a 2 MiB page) in with every probe.
    /// </summary>
    public static TablesImage MapReadOnly(string path, long length)
    {
        MemoryMappedFile map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            var image = new MappedImage(map, map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read), length, path)
            {
                HugePages = AdvisesHugePages(length, MappedHugePagesUpTo),
            };
            if (image.HugePages) HammingIndex.Storage.ReadAhead.HugePages(image.Pointer, length);
            else HammingIndex.Storage.ReadAhead.RandomAccess(image.Pointer, length); // searches only probe: no read-around per fault
            return image;
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The largest mapped tables advised for huge pages: a quarter of the memory this process may use,
    /// so that a probe's 2 MiB read-in stays cheap beside tables the page cache keeps whole.
    /// </summary>
    public static long MappedHugePagesUpTo => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;

    /// <summary>Whether mapped tables of <paramref name="length"/> bytes are advised for huge pages under a limit of <paramref name="upTo"/> bytes.</summary>
    internal static bool AdvisesHugePages(long length, long upTo) =>
        HammingIndex.Storage.NativeBlocks.UseHugePages && length >= HammingIndex.Storage.NativeBlocks.HugePagesFrom && length <= upTo;

    /// <summary>Maps an open (temporary) file for writing while a build fills it.</summary>
    public static TablesImage MapWritable(FileStream file, long length)
    {
        MemoryMappedFile map = MemoryMappedFile.CreateFromFile(file, null, length, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
        try
        {
            return new MappedImage(map, map.CreateViewAccessor(0, length, MemoryMappedFileAccess.ReadWrite), length, file.Name);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    /// <summary>Writes dirty pages of a writable map to the file (msync); nothing for native memory.</summary>
    public virtual void Flush()
    {
    }

    /// <summary>
    /// A build or a checksum pass is done with these bytes: a mapped image drops them from the process's
    /// resident set (they stay in the page cache, dirty ones too, and are written by <see cref="Flush"/>;
    /// the next read maps them again); nothing for native memory.
    /// </summary>
    public virtual void ReleaseResident(long offset, long length)
    {
    }

    /// <summary>
    /// A pass is about to read these bytes in order: a mapped image (advised for random access, so faults
    /// read no more than their page) starts reading them now; nothing for native memory.
    /// </summary>
    public virtual void WillRead(long offset, long length)
    {
    }

    /// <summary>Releases the bytes now (only when nothing can read them any more: a failed or finished build's writable map).</summary>
    public abstract void Dispose();

    private sealed class NativeImage : TablesImage
    {
        private int _freed;

        public NativeImage(long length)
            : base(HammingIndex.Storage.NativeBlocks.AllocateZeroed(length, 4096), length, null)
        {
            GC.AddMemoryPressure(length);
        }

        ~NativeImage() => Free();

        public override void Dispose()
        {
            Free();
            GC.SuppressFinalize(this);
        }

        private void Free()
        {
            if (Interlocked.Exchange(ref _freed, 1) != 0) return;
            HammingIndex.Storage.NativeBlocks.Free(Pointer);
            GC.RemoveMemoryPressure(Length);
        }
    }

    private sealed class MappedImage : TablesImage
    {
        private readonly MemoryMappedFile _map;
        private readonly MemoryMappedViewAccessor _view;
        private int _freed;

        public MappedImage(MemoryMappedFile map, MemoryMappedViewAccessor view, long length, string path)
            : base(Acquire(view), length, path)
        {
            _map = map;
            _view = view;
        }

        private static byte* Acquire(MemoryMappedViewAccessor view)
        {
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            return pointer + view.PointerOffset;
        }

        ~MappedImage() => Free();

        public override void Flush() => _view.Flush();

        public override void ReleaseResident(long offset, long length) => HammingIndex.Storage.ReadAhead.ReleaseMapped(Pointer + offset, length);

        /// <summary>Whether the map is advised for huge pages: its faults then read 2 MiB each, in the folios that asks for.</summary>
        public bool HugePages { get; init; }

        // A read-ahead hint would bring the pages in as small folios, which the map then cannot map as huge pages.
        public override void WillRead(long offset, long length)
        {
            if (!HugePages) HammingIndex.Storage.ReadAhead.WillNeedMapped(Pointer + offset, length);
        }

        public override void Dispose()
        {
            Free();
            GC.SuppressFinalize(this);
        }

        private void Free()
        {
            if (Interlocked.Exchange(ref _freed, 1) != 0) return;
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _map.Dispose();
        }
    }
}
