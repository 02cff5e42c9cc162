using System.IO.MemoryMappedFiles;

namespace HammingIndex.Storage;

/// <summary>
/// One open file of the store, behind <see cref="StoreFileSystem"/>: positioned reads and writes, length,
/// fsync, msync of a mapped range, and a notice of bytes written through a mapping (which no call sees).
/// Every operating-system error is rethrown naming <see cref="Name"/>, the file's current name (a created
/// or compacted store is written under a temporary name and renamed, and the OS keeps naming the old one).
/// </summary>
internal class StoreFile : IDisposable
{
    public StoreFile(string path, FileStream stream)
    {
        Name = path;
        Stream = stream;
    }

    /// <summary>The file's current name: what errors name.</summary>
    public string Name { get; set; }

    /// <summary>The open stream (to map the file).</summary>
    public FileStream Stream { get; }

    public long Length => Translate(() => LengthCore(), "reading the length");

    public int Read(Span<byte> buffer, long offset)
    {
        try
        {
            return ReadCore(buffer, offset);
        }
        catch (IOException e) when (e is not InvalidFileException)
        {
            throw Named(e, $"reading {buffer.Length} bytes at offset {offset}");
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the file ends; returns the bytes read.</summary>
    public int ReadFully(Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = Read(buffer[total..], offset + total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    public void Write(ReadOnlySpan<byte> data, long offset)
    {
        try
        {
            WriteCore(data, offset);
        }
        catch (IOException e) when (e is not InvalidFileException)
        {
            throw Named(e, $"writing {data.Length} bytes at offset {offset}");
        }
        catch (ArgumentOutOfRangeException e) // how .NET reports EFBIG (past the file-size limit)
        {
            throw TooLarge(e, $"writing {data.Length} bytes at offset {offset}");
        }
    }

    public void SetLength(long length) => Translate(() => { SetLengthCore(length); return 0; }, $"setting the length to {length} bytes");

    /// <summary>fsync: everything written (by calls or through mappings) reaches the disk.</summary>
    public void Sync() => Translate(() => { SyncCore(); return 0; }, "syncing to disk (fsync)");

    /// <summary>msync of a view that maps file bytes <paramref name="offset"/>..+<paramref name="length"/>.</summary>
    public void SyncView(MemoryMappedViewAccessor view, long offset, long length) =>
        Translate(() => { SyncViewCore(view, offset, length); return 0; }, $"syncing the mapped bytes {offset}..{offset + length - 1} (msync)");

    /// <summary>Maps the whole file (as it is now) for reading and writing.</summary>
    public MemoryMappedFile Map() =>
        Translate(() => MemoryMappedFile.CreateFromFile(Stream, null, 0, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true), "mapping the file");

    /// <summary>A hint that bytes <paramref name="offset"/>..+<paramref name="length"/> are about to be read (see <see cref="ReadAhead"/>).</summary>
    public virtual void WillNeed(long offset, long length) => ReadAhead.WillNeed(Stream.SafeFileHandle, offset, length);

    /// <summary>Notice that bytes <paramref name="offset"/>..+<paramref name="length"/> were written through a mapping.</summary>
    public virtual void MappedWrite(long offset, long length)
    {
    }

    protected virtual long LengthCore() => Stream.Length;

    protected virtual int ReadCore(Span<byte> buffer, long offset) => RandomAccess.Read(Stream.SafeFileHandle, buffer, offset);

    protected virtual void WriteCore(ReadOnlySpan<byte> data, long offset) => RandomAccess.Write(Stream.SafeFileHandle, data, offset);

    protected virtual void SetLengthCore(long length) => Stream.SetLength(length);

    protected virtual void SyncCore() => Stream.Flush(flushToDisk: true);

    protected virtual void SyncViewCore(MemoryMappedViewAccessor view, long offset, long length) => view.Flush();

    public virtual void Dispose() => Stream.Dispose();

    private T Translate<T>(Func<T> operation, string what)
    {
        try
        {
            return operation();
        }
        catch (IOException e) when (e is not InvalidFileException)
        {
            throw Named(e, what);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw TooLarge(e, what);
        }
    }

    private StoreIOException TooLarge(ArgumentOutOfRangeException e, string what) =>
        new($"{Name}: {what} failed: the file would exceed the largest file the file system (or the process's file-size limit) allows.", e, hresult: 27 /* EFBIG */);

    /// <summary>The error again, naming this file by its current name (the OS's message names the name it was opened by).</summary>
    private StoreIOException Named(IOException e, string what)
    {
        string opened = Stream.Name;
        string reason = opened.Length > 0 ? e.Message.Replace(opened, Name, StringComparison.Ordinal) : e.Message;
        return new StoreIOException($"{Name}: {what} failed: {reason}", e, e.HResult);
    }
}

/// <summary>An I/O error of a store file, naming the file by its current name; <see cref="Exception.HResult"/> is the OS error.</summary>
public sealed class StoreIOException : IOException
{
    internal StoreIOException(string message, Exception inner, int hresult) : base(message, inner)
    {
        HResult = hresult;
    }
}
