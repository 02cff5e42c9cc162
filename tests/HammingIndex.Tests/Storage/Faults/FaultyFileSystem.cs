using System.IO.MemoryMappedFiles;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Storage.Faults;

/// <summary>What happens at the chosen operation.</summary>
public enum FaultKind
{
    /// <summary>The machine stops: every write not yet synced is lost.</summary>
    CrashDropUnsynced,

    /// <summary>The machine stops: unsynced writes reach the disk, the last one only up to a 512-byte sector boundary.</summary>
    CrashTornWrite,

    /// <summary>The machine stops: each unsynced write (and mapped page range) independently reaches the disk or not.</summary>
    CrashRandomSubset,

    /// <summary>The operation fails with EIO (a failed fsync drops the dirty data it could not write, as Linux does).</summary>
    Eio,

    /// <summary>The operation fails with ENOSPC.</summary>
    Enospc,
}

/// <summary>Thrown by every file operation once the simulated machine has crashed.</summary>
public sealed class SimulatedCrashException() : Exception("simulated machine crash");

/// <summary>
/// A file layer that records what has reached the disk (as Lucene's MockDirectoryWrapper does) and
/// injects one fault at the N-th mutating operation (write, set-length, fsync, msync, create, rename,
/// delete, directory fsync). Each file is an inode with its durable bytes (what a crash keeps) and its
/// pending operations since the last sync: explicit writes with their data, set-lengths, and ranges
/// written through a mapping (their bytes are whatever the page holds when they are synced or the
/// machine crashes). Names live in a directory whose creates, renames and deletes are durable only after
/// a directory fsync; a crash keeps a prefix of the pending ones. At a crash the post-crash image of
/// every file is built from the durable state and the pending operations the fault kind lets through;
/// <see cref="WriteImage"/> puts it on disk for the reopen.
/// </summary>
internal sealed class FaultyFileSystem : StoreFileSystem
{
    private const int Sector = 512;
    private readonly Dictionary<string, Inode> _names = new();
    private readonly Dictionary<string, Inode> _durableNames = new();
    private readonly List<(string Kind, string Name, string? To, Inode? Inode)> _pendingNames = new();
    private readonly Random _random;
    private int _nextInode;

    public FaultyFileSystem(int faultAt, FaultKind kind, int seed)
    {
        FaultAt = faultAt;
        Kind = kind;
        _random = new Random(seed);
    }

    /// <summary>The 1-based operation that faults (0: none).</summary>
    public int FaultAt { get; }

    public FaultKind Kind { get; }

    /// <summary>Mutating operations so far.</summary>
    public int Steps { get; private set; }

    /// <summary>What the workload is doing (create, flush, compact, save, open, dispose): recorded with the fault.</summary>
    public string Phase { get; set; } = "";

    /// <summary>The phase and operation the fault hit, once it fired.</summary>
    public string? FaultedAt { get; private set; }

    public bool Crashed { get; private set; }

    /// <summary>The post-crash files by name, once crashed.</summary>
    public Dictionary<string, byte[]>? Image { get; private set; }

    /// <summary>Crashes now (after the workload), dropping everything unsynced.</summary>
    public void CrashNow()
    {
        if (!Crashed) BuildImage(FaultKind.CrashDropUnsynced, torn: null);
    }

    /// <summary>Replaces the files of <paramref name="directory"/> with the post-crash image.</summary>
    public void WriteImage(string directory)
    {
        foreach (string file in Directory.GetFiles(directory)) File.Delete(file);
        foreach (var (name, bytes) in Image!) File.WriteAllBytes(name, bytes);
    }

    public override StoreFile Open(string path, FileMode mode)
    {
        path = Path.GetFullPath(path);
        Step(mode == FileMode.Open ? null : $"create {Path.GetFileName(path)}", null);
        var stream = new FileStream(path, mode, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        if (!_names.TryGetValue(path, out Inode? inode) || mode == FileMode.CreateNew)
        {
            bool existed = inode is null && mode != FileMode.CreateNew && stream.Length > 0;
            inode = new Inode(_nextInode++);
            if (existed)
            {
                // A file this layer has not seen: what is on disk now is durable.
                inode.Durable = new byte[stream.Length];
                RandomAccess.Read(stream.SafeFileHandle, inode.Durable, 0);
                _names[path] = inode;
                _durableNames[path] = inode;
            }
            else
            {
                _names[path] = inode;
                _pendingNames.Add(("create", path, null, inode));
            }
        }
        else if (mode == FileMode.Create)
        {
            inode.Pending.Add(new Op(OpKind.SetLength, 0, null, 0));
        }
        var file = new FaultyFile(this, inode, path, stream);
        inode.Open = file;
        return file;
    }

    public override void Move(string from, string to, bool overwrite)
    {
        from = Path.GetFullPath(from);
        to = Path.GetFullPath(to);
        Step($"rename {Path.GetFileName(from)}", null);
        File.Move(from, to, overwrite);
        Inode inode = _names[from];
        _names.Remove(from);
        _names[to] = inode;
        _pendingNames.Add(("move", from, to, inode));
    }

    public override void Delete(string path)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            if (Crashed) throw new SimulatedCrashException();
            return;
        }
        Step($"delete {Path.GetFileName(path)}", null);
        File.Delete(path);
        _names.Remove(path);
        _pendingNames.Add(("delete", path, null, null));
    }

    public override bool Exists(string path)
    {
        if (Crashed) throw new SimulatedCrashException();
        return File.Exists(path);
    }

    public override void SyncDirectory(string filePath)
    {
        Step("directory fsync", null);
        foreach (var op in _pendingNames) ApplyName(_durableNames, op);
        _pendingNames.Clear();
    }

    private static void ApplyName(Dictionary<string, Inode> names, (string Kind, string Name, string? To, Inode? Inode) op)
    {
        switch (op.Kind)
        {
            case "create":
                names[op.Name] = op.Inode!;
                break;
            case "move":
                names.Remove(op.Name);
                names[op.To!] = op.Inode!;
                break;
            default:
                names.Remove(op.Name);
                break;
        }
    }

    /// <summary>
    /// Counts a mutating operation; at the chosen one, fires the fault: a crash builds the image (with
    /// <paramref name="pending"/>, the interrupted write, as the last pending operation) and throws; an
    /// error throws the IOException .NET would. Returns true when an error fault fired on a sync (the
    /// caller drops what the sync could not write).
    /// </summary>
    private bool Step(string? what, (Inode Inode, Op Op)? pending)
    {
        if (Crashed) throw new SimulatedCrashException();
        if (what is null) return false;
        Steps++;
        if (Steps != FaultAt) return false;
        FaultedAt = $"{Phase}: {what}";
        switch (Kind)
        {
            case FaultKind.Eio:
                throw new IOException("Input/output error", 5);
            case FaultKind.Enospc:
                throw new IOException("No space left on device", 28);
            default:
                if (pending is { } p) p.Inode.Pending.Add(p.Op);
                BuildImage(Kind, pending?.Op);
                throw new SimulatedCrashException();
        }
    }

    /// <summary>Builds the post-crash image and marks the machine dead.</summary>
    private void BuildImage(FaultKind kind, Op? torn)
    {
        var names = new Dictionary<string, Inode>(_durableNames);
        int keep = kind switch
        {
            FaultKind.CrashDropUnsynced => 0,
            FaultKind.CrashTornWrite => _pendingNames.Count,
            _ => _random.Next(_pendingNames.Count + 1),
        };
        for (int i = 0; i < keep; i++) ApplyName(names, _pendingNames[i]);
        Image = new Dictionary<string, byte[]>();
        foreach (var (name, inode) in names)
        {
            var bytes = new List<byte>(inode.Durable);
            foreach (Op op in inode.Pending)
            {
                bool apply = kind switch
                {
                    FaultKind.CrashDropUnsynced => false,
                    FaultKind.CrashTornWrite => true,
                    _ => _random.Next(2) == 0,
                };
                if (!apply) continue;
                Op applied = op;
                if (ReferenceEquals(op, torn) && op.Kind == OpKind.Write && kind != FaultKind.CrashDropUnsynced)
                {
                    // Torn at a sector boundary: only the sectors before a random boundary inside the write.
                    long first = (op.Offset / Sector + 1) * Sector, end = op.Offset + op.Data!.Length;
                    var boundaries = new List<long> { op.Offset };
                    for (long b = first; b < end; b += Sector) boundaries.Add(b);
                    long cut = boundaries[_random.Next(boundaries.Count)];
                    applied = op with { Data = op.Data[..(int)(cut - op.Offset)] };
                }
                Apply(bytes, applied, inode);
            }
            Image[name] = [.. bytes];
        }
        Crashed = true;
    }

    private static void Apply(List<byte> bytes, Op op, Inode inode)
    {
        if (op.Kind == OpKind.SetLength)
        {
            if (op.Offset < bytes.Count) bytes.RemoveRange((int)op.Offset, bytes.Count - (int)op.Offset);
            while (bytes.Count < op.Offset) bytes.Add(0);
            return;
        }
        byte[] data = op.Data ?? inode.ReadCurrent(op.Offset, op.Length);
        while (bytes.Count < op.Offset + data.Length) bytes.Add(0);
        for (int i = 0; i < data.Length; i++) bytes[(int)op.Offset + i] = data[i];
    }

    private enum OpKind { Write, SetLength, Mapped }

    /// <summary>A pending operation: a write (its bytes), a set-length (Offset = the length), or a mapped range (bytes read when it is persisted).</summary>
    private sealed record Op(OpKind Kind, long Offset, byte[]? Data, long Length);

    private sealed class Inode(int id)
    {
        public int Id { get; } = id;
        public byte[] Durable { get; set; } = [];
        public List<Op> Pending { get; } = new();
        public FaultyFile? Open { get; set; }

        public byte[] ReadCurrent(long offset, long length)
        {
            var data = new byte[length];
            int n = Open!.ReadRaw(data, offset);
            return n == data.Length ? data : data[..n];
        }

        /// <summary>Persists the pending operations that lie within <paramref name="from"/>..<paramref name="to"/> (all when null).</summary>
        public void Persist(long? from = null, long? to = null)
        {
            var bytes = new List<byte>(Durable);
            for (int i = 0; i < Pending.Count; i++)
            {
                Op op = Pending[i];
                if (from is not null && (op.Kind == OpKind.SetLength || op.Offset < from || op.Offset + (op.Data?.Length ?? op.Length) > to)) continue;
                Apply(bytes, op, this);
                Pending.RemoveAt(i--);
            }
            // A range sync that wrote past a pending growth of the file made that growth durable too
            // (the store's growths only extend; its one truncation is synced at once).
            if (from is not null) Pending.RemoveAll(op => op.Kind == OpKind.SetLength && op.Offset <= bytes.Count);
            Durable = [.. bytes];
        }

        /// <summary>Captures the bytes of pending mapped ranges (the file is closing).</summary>
        public void Capture()
        {
            for (int i = 0; i < Pending.Count; i++)
            {
                if (Pending[i].Kind == OpKind.Mapped)
                    Pending[i] = Pending[i] with { Kind = OpKind.Write, Data = ReadCurrent(Pending[i].Offset, Pending[i].Length) };
            }
        }
    }

    private sealed class FaultyFile(FaultyFileSystem system, Inode inode, string path, FileStream stream) : StoreFile(path, stream)
    {
        public int ReadRaw(Span<byte> buffer, long offset)
        {
            int total = 0;
            while (total < buffer.Length)
            {
                int n = RandomAccess.Read(Stream.SafeFileHandle, buffer[total..], offset + total);
                if (n == 0) break;
                total += n;
            }
            return total;
        }

        public override void MappedWrite(long offset, long length)
        {
            if (system.Crashed) return; // a crashed machine writes nothing more
            inode.Pending.Add(new Op(OpKind.Mapped, offset, null, length));
        }

        protected override long LengthCore()
        {
            if (system.Crashed) throw new SimulatedCrashException();
            return base.LengthCore();
        }

        protected override int ReadCore(Span<byte> buffer, long offset)
        {
            if (system.Crashed) throw new SimulatedCrashException();
            return base.ReadCore(buffer, offset);
        }

        protected override void WriteCore(ReadOnlySpan<byte> data, long offset)
        {
            var op = new Op(OpKind.Write, offset, data.ToArray(), data.Length);
            system.Step($"write {data.Length} B at {offset} of {Path.GetFileName(Name)}", (inode, op));
            base.WriteCore(data, offset);
            inode.Pending.Add(op);
        }

        protected override void SetLengthCore(long length)
        {
            var op = new Op(OpKind.SetLength, length, null, 0);
            system.Step($"set length {length} of {Path.GetFileName(Name)}", (inode, op));
            base.SetLengthCore(length);
            inode.Pending.Add(op);
        }

        protected override void SyncCore()
        {
            try
            {
                system.Step($"fsync {Path.GetFileName(Name)}", null);
            }
            catch (IOException)
            {
                // Linux: the pages it could not write are marked clean and lost; the size (metadata) stays.
                inode.Pending.RemoveAll(op => op.Kind != OpKind.SetLength);
                throw;
            }
            base.SyncCore();
            inode.Persist();
        }

        protected override void SyncViewCore(MemoryMappedViewAccessor view, long offset, long length)
        {
            try
            {
                system.Step($"msync {offset}+{length} of {Path.GetFileName(Name)}", null);
            }
            catch (IOException)
            {
                inode.Pending.RemoveAll(op => op.Kind == OpKind.Mapped && op.Offset >= offset && op.Offset + op.Length <= offset + length);
                throw;
            }
            base.SyncViewCore(view, offset, length);
            inode.Persist(offset, offset + length);
        }

        public override void Dispose()
        {
            if (!system.Crashed) inode.Capture();
            if (ReferenceEquals(inode.Open, this)) inode.Open = null;
            base.Dispose();
        }
    }
}
