using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using HammingIndex.Codes;

namespace HammingIndex.Storage;

/// <summary>
/// The blocks behind a <see cref="CodeStore"/>: fixed-capacity blocks, each a 64-byte-aligned run of
/// codes, the ids of those codes and a tombstone bitmap. Block pointers never move once a block
/// exists; the memory is released only when the store and every reader have let go (reference count),
/// so a search never touches freed memory.
/// </summary>
internal abstract unsafe class StoreMemory
{
    /// <summary>Readers' pins, counted in stripes picked by the current processor, on lines of their own.</summary>
    private readonly PaddedCells _pins = new(PinStripes);
    /// <summary>1 once the owner (the store) has let go: no pin succeeds from then on.</summary>
    private int _released;
    private int _freed;
    private BlockTable _blocks = BlockTable.Empty;

    protected StoreMemory(CodeLayout layout, int blockCapacityLog2)
    {
        Layout = layout;
        BlockCapacityLog2 = blockCapacityLog2;
    }

    /// <summary>Codes per block: a power of two, so position -> (block, slot) is a shift and a mask.</summary>
    public int BlockCapacity => 1 << BlockCapacityLog2;

    public int BlockCapacityLog2 { get; }

    public CodeLayout Layout { get; }

    /// <summary>Blocks that exist now (the last may be partly filled).</summary>
    public int BlockCount => Volatile.Read(ref _blocks).Count;

    /// <summary>Picks a block capacity near 1 MiB of codes (at least 64 codes).</summary>
    public static int DefaultBlockCapacityLog2(CodeLayout layout)
    {
        int log2 = 20 - System.Numerics.BitOperations.Log2((uint)layout.BytesPerCode);
        return Math.Max(6, log2);
    }

    /// <summary>
    /// Stripes of reader pins: the processor count rounded up to a power of two, at most 64. One
    /// counter that every search adds to and takes from is a cache line every core writes; two threads
    /// asking lone r = 0 queries answered 0.95–0.97 times what one did with it, 1.30–1.43 times with
    /// the stripes (bench/README.md, ninth session).
    /// </summary>
    private static readonly int PinStripes = (int)Math.Min(64, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, Environment.ProcessorCount)));

    private ref long PinStripe() => ref _pins[Thread.GetCurrentProcessorId() & (PinStripes - 1)];

    /// <summary>
    /// Pins the memory for a reader: false once the owner has let go (<see cref="ReleaseOwner"/>). Pair
    /// each true with one <see cref="Release"/>, from any thread.
    /// </summary>
    /// <remarks>
    /// A pin adds one to the stripe of the processor it runs on, and a release takes one from the stripe
    /// of the processor it runs on, so a stripe may go below zero; only the sum counts, and it is read
    /// only once the owner has let go. A pin counts only if it finds the owner still holding after its
    /// add (both full fences), so every pin the sum misses backs out, and the sum can only fall.
    /// </remarks>
    public bool TryAddRef()
    {
        if (Volatile.Read(ref _released) != 0) return false;
        ref long stripe = ref PinStripe();
        Interlocked.Increment(ref stripe);
        if (Volatile.Read(ref _released) == 0) return true;
        Interlocked.Decrement(ref stripe); // the owner let go meanwhile
        FreeIfUnpinned();
        return false;
    }

    /// <summary>Lets go of a reader's pin (<see cref="TryAddRef"/>); the last one after the owner's frees the blocks.</summary>
    /// <exception cref="InvalidOperationException">Found, once the owner has let go, more releases than pins.</exception>
    public void Release()
    {
        Interlocked.Decrement(ref PinStripe());
        if (Volatile.Read(ref _released) != 0) FreeIfUnpinned();
    }

    /// <summary>Lets go of the owner's reference: the blocks are freed now, or when the last reader's pin goes.</summary>
    /// <exception cref="InvalidOperationException">The owner let go before.</exception>
    public void ReleaseOwner()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0) ThrowHelper.InvalidOperation("Store memory released by its owner twice.");
        FreeIfUnpinned();
    }

    private void FreeIfUnpinned()
    {
        long pins = 0;
        for (int s = 0; s < PinStripes; s++) pins += Volatile.Read(ref _pins[s]);
        if (pins > 0) return;
        if (pins < 0) ThrowHelper.InvalidOperation($"Store memory released more often than acquired ({-pins} more).");
        if (Interlocked.Exchange(ref _freed, 1) == 0) FreeBlocks();
    }

    /// <summary>
    /// Blocks that hold <paramref name="count"/> positions at 2^<paramref name="capacityLog2"/> codes
    /// per block; throws when that is more blocks than an int numbers (positions themselves are longs).
    /// </summary>
    /// <exception cref="InvalidOperationException">The store would need 2^31 blocks or more.</exception>
    public static int BlocksFor(long count, int capacityLog2)
    {
        long blocks = (count + (1L << capacityLog2) - 1) >> capacityLog2;
        if ((ulong)blocks > int.MaxValue)
            ThrowHelper.InvalidOperation($"A store of {count} positions in blocks of 2^{capacityLog2} codes needs {blocks} blocks; at most {int.MaxValue} fit. Create the store with a larger CodeStoreOptions.BlockCapacity.");
        return (int)blocks;
    }

    /// <summary>Makes sure blocks 0..count-1 exist. Writer only.</summary>
    public void EnsureBlocks(int count)
    {
        BlockTable table = _blocks;
        if (table.Count >= count) return;
        var codes = new nint[count];
        var ids = new nint[count];
        var dead = new ulong[]?[count];
        var verified = new bool[count];
        Array.Copy(table.Codes, codes, table.Count);
        Array.Copy(table.Ids, ids, table.Count);
        Array.Copy(table.Tombstones, dead, table.Count);
        Array.Copy(table.Verified, verified, table.Count);
        for (int b = table.Count; b < count; b++)
            (codes[b], ids[b], verified[b]) = AllocateBlock(b);
        Volatile.Write(ref _blocks, new BlockTable(count, codes, ids, dead, verified));
    }

    /// <summary>
    /// Pointer to the first code of block <paramref name="block"/>. The first read of a block that
    /// came from a file checks it against its checksum (and throws <see cref="StoreCorruptedException"/>
    /// if it does not match), so no reader ever sees unverified stored bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong* CodePointer(int block)
    {
        BlockTable table = Volatile.Read(ref _blocks);
        if (!Volatile.Read(ref table.Verified[block])) VerifyOnFirstRead(table, block);
        return (ulong*)table.Codes[block];
    }

    /// <summary>Pointer to the first id of block <paramref name="block"/> (verified like <see cref="CodePointer"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long* IdPointer(int block)
    {
        BlockTable table = Volatile.Read(ref _blocks);
        if (!Volatile.Read(ref table.Verified[block])) VerifyOnFirstRead(table, block);
        return (long*)table.Ids[block];
    }

    /// <summary>Whether block <paramref name="block"/> has been checked (or never needed a check).</summary>
    public bool IsVerified(int block) => Volatile.Read(ref Volatile.Read(ref _blocks).Verified[block]);

    /// <summary>Start of block <paramref name="block"/>'s codes without the first-read check (for the checker itself).</summary>
    protected byte* UncheckedCodePointer(int block) => (byte*)Volatile.Read(ref _blocks).Codes[block];

    /// <summary>Records that block <paramref name="block"/> has been checked.</summary>
    protected void MarkVerified(int block) => Volatile.Write(ref Volatile.Read(ref _blocks).Verified[block], true);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void VerifyOnFirstRead(BlockTable table, int block)
    {
        VerifyBlock(block);
        Volatile.Write(ref table.Verified[block], true);
    }

    /// <summary>Checks a block that came from storage; throws <see cref="StoreCorruptedException"/> on a mismatch.</summary>
    protected virtual void VerifyBlock(int block)
    {
    }

    /// <summary>
    /// A digest of positions 0..<paramref name="count"/>-1 (codes and ids) and
    /// <paramref name="generation"/>: XxHash3 over the code length, the count, the generation and each
    /// block's checksum over its filled codes and ids (the checksum a file's records hold, see
    /// <see cref="StoreFileFormat.CodeChecksum(long, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>). Two
    /// stores that differ in any code, id or order give different digests. A file-backed store takes the
    /// checksums of committed blocks from their records instead of reading the codes.
    /// </summary>
    public ulong ContentDigest(long count, long generation) => ContentDigest(count, generation, null);

    /// <summary>
    /// <see cref="ContentDigest(long, long)"/>, taking the checksums of the blocks in
    /// <paramref name="known"/> (block → checksum over its first count positions) from there instead of
    /// reading them again: a commit has just hashed the blocks it wrote.
    /// </summary>
    protected ulong ContentDigest(long count, long generation, IReadOnlyDictionary<long, ulong>? known)
    {
        var hash = new System.IO.Hashing.XxHash3();
        Span<byte> word = stackalloc byte[sizeof(long)];
        foreach (long value in (ReadOnlySpan<long>)[Layout.Bits, count, generation])
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(word, value);
            hash.Append(word);
        }
        PrefetchChecksums(count);
        for (long b = 0; b << BlockCapacityLog2 < count; b++)
        {
            int filled = (int)Math.Min(BlockCapacity, count - (b << BlockCapacityLog2));
            ulong checksum = known is not null && known.TryGetValue(b, out ulong k) ? k : BlockChecksum((int)b, filled);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(word, checksum);
            hash.Append(word);
        }
        return hash.GetCurrentHashAsUInt64();
    }

    /// <summary>
    /// <see cref="ContentDigest(long, long)"/> for binding other files to this content: a store file answers from its
    /// committed header when <paramref name="count"/> and <paramref name="generation"/> are the committed
    /// ones, in one read however large the store.
    /// </summary>
    public virtual ulong BindingDigest(long count, long generation) => ContentDigest(count, generation);

    /// <summary>Starts reading whatever <see cref="BlockChecksum"/> will read for positions 0..<paramref name="count"/>-1 (nothing in memory).</summary>
    protected virtual void PrefetchChecksums(long count)
    {
    }

    /// <summary>The checksum of the first <paramref name="filled"/> codes and ids of a block, read from the codes (verified first).</summary>
    protected virtual ulong BlockChecksum(int block, int filled) =>
        StoreFileFormat.CodeChecksum(block,
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(BlockCodes(block, filled)),
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(BlockIds(block, filled)));

    /// <summary>
    /// A pass over the store is done with the codes of full block <paramref name="block"/> for now: a
    /// file-backed store drops the pages from this process's resident set (the page cache keeps them; the
    /// next read maps them again), so a pass over a store larger than memory keeps a bounded resident set.
    /// Nothing for memory-backed stores.
    /// </summary>
    public virtual void ReleaseResident(int block)
    {
    }

    /// <summary>
    /// A pass that reads the blocks in order is at block <paramref name="block"/>: a file-backed store
    /// whose map is advised for random access starts reading this block's codes and the next few now
    /// (the kernel no longer reads ahead of faults there). Nothing otherwise.
    /// </summary>
    public virtual void SequentialRead(int block)
    {
    }

    public ReadOnlySpan<ulong> BlockCodes(int block, int length) =>
        new(CodePointer(block), length * Layout.WordsPerCode);

    public ReadOnlySpan<long> BlockIds(int block, int length) => new(IdPointer(block), length);

    /// <summary>Tombstone bits of a block (bit i = slot i deleted); empty when nothing in it is deleted.</summary>
    public ReadOnlySpan<ulong> BlockTombstones(int block) => Volatile.Read(ref _blocks).Tombstones[block];

    /// <summary>The first word of position <paramref name="position"/>'s code (its block verified like <see cref="CodePointer"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong* CodeAt(long position) =>
        CodePointer((int)(position >> BlockCapacityLog2)) + (position & (BlockCapacity - 1)) * Layout.WordsPerCode;

    /// <summary>Position <paramref name="position"/>'s id (its block verified like <see cref="CodePointer"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long* IdAt(long position) => IdPointer((int)(position >> BlockCapacityLog2)) + (position & (BlockCapacity - 1));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<ulong> Code(long position) => new(CodeAt(position), Layout.WordsPerCode);

    /// <summary>Starts loading the first line of position <paramref name="position"/>'s code (no effect without SSE).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchCode(long position)
    {
        if (Sse.IsSupported) Sse.Prefetch0(CodeAt(position));
    }

    /// <summary>Starts loading the line that holds position <paramref name="position"/>'s id (no effect without SSE).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchId(long position)
    {
        if (Sse.IsSupported) Sse.Prefetch0(IdAt(position));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Id(long position) => *IdAt(position);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsDeleted(long position)
    {
        int block = (int)(position >> BlockCapacityLog2);
        int slot = (int)(position & (BlockCapacity - 1));
        ulong[]? bits = Volatile.Read(ref _blocks).Tombstones[block];
        return bits is not null && (Volatile.Read(ref bits[slot >> 6]) & (1UL << slot)) != 0;
    }

    /// <summary>Marks a position deleted. Writer only. Returns false if it already was.</summary>
    public bool MarkDeleted(long position)
    {
        int block = (int)(position >> BlockCapacityLog2);
        int slot = (int)(position & (BlockCapacity - 1));
        BlockTable table = _blocks;
        ulong[]? bits = table.Tombstones[block];
        if (bits is null)
        {
            bits = new ulong[BlockCapacity >> 6 == 0 ? 1 : BlockCapacity >> 6];
            Volatile.Write(ref table.Tombstones[block], bits);
        }
        ulong mask = 1UL << slot;
        ulong old = Interlocked.Or(ref bits[slot >> 6], mask);
        return (old & mask) == 0;
    }

    /// <summary>Writes one code and its id into a slot that no reader can see yet. Writer only.</summary>
    public void Write(long position, ReadOnlySpan<ulong> code, long id)
    {
        int block = (int)(position >> BlockCapacityLog2);
        int slot = (int)(position & (BlockCapacity - 1));
        code.CopyTo(new Span<ulong>(CodePointer(block) + (long)slot * Layout.WordsPerCode, Layout.WordsPerCode));
        IdPointer(block)[slot] = id;
        OnWritten(block, slot, 1);
    }

    /// <summary>Notice that slots <paramref name="slot"/>..+<paramref name="count"/> of a block were written (the file backing tells its file layer).</summary>
    protected virtual void OnWritten(int block, int slot, int count)
    {
    }

    /// <summary>Writes consecutive codes and ids from <paramref name="position"/> on, one copy per block run. Writer only.</summary>
    public void WriteRange(long position, ReadOnlySpan<ulong> codes, ReadOnlySpan<long> ids)
    {
        int words = Layout.WordsPerCode;
        for (int done = 0; done < ids.Length;)
        {
            long p = position + done;
            int block = (int)(p >> BlockCapacityLog2);
            int slot = (int)(p & (BlockCapacity - 1));
            int run = Math.Min(ids.Length - done, BlockCapacity - slot);
            codes.Slice(done * words, run * words).CopyTo(new Span<ulong>(CodePointer(block) + (long)slot * words, run * words));
            ids.Slice(done, run).CopyTo(new Span<long>(IdPointer(block) + slot, run));
            OnWritten(block, slot, run);
            done += run;
        }
    }

    /// <summary>
    /// Allocates (or maps) block <paramref name="block"/>; returns its code and id pointers and whether
    /// its contents are known good (false: checked by <see cref="VerifyBlock"/> on first read).
    /// </summary>
    protected abstract (nint Codes, nint Ids, bool Verified) AllocateBlock(int block);

    /// <summary>Frees every block; called once, when the last reference goes.</summary>
    protected abstract void FreeBlocks(ReadOnlySpan<nint> codes, ReadOnlySpan<nint> ids);

    private void FreeBlocks()
    {
        BlockTable table = Interlocked.Exchange(ref _blocks, BlockTable.Empty);
        FreeBlocks(table.Codes.AsSpan(0, table.Count), table.Ids.AsSpan(0, table.Count));
    }

    private sealed class BlockTable(int count, nint[] codes, nint[] ids, ulong[]?[] tombstones, bool[] verified)
    {
        public static readonly BlockTable Empty = new(0, [], [], [], []);
        public int Count { get; } = count;
        public nint[] Codes { get; } = codes;
        public nint[] Ids { get; } = ids;
        public ulong[]?[] Tombstones { get; } = tombstones;
        public bool[] Verified { get; } = verified; // a racing copy may lose a flag: that only repeats a check
    }
}

/// <summary>Blocks in native memory, 64-byte aligned (huge pages when large: <see cref="NativeBlocks"/>): the in-memory backing.</summary>
internal sealed unsafe class NativeStoreMemory(CodeLayout layout, int blockCapacityLog2) : StoreMemory(layout, blockCapacityLog2)
{
    protected override (nint Codes, nint Ids, bool Verified) AllocateBlock(int block)
    {
        nuint codeBytes = (nuint)BlockCapacity * (nuint)Layout.BytesPerCode;
        nuint idBytes = (nuint)BlockCapacity * sizeof(long);
        byte* codes = NativeBlocks.AllocateZeroed((long)codeBytes, 64);
        byte* ids = NativeBlocks.AllocateZeroed((long)idBytes, 64);
        return ((nint)codes, (nint)ids, true);
    }

    protected override void FreeBlocks(ReadOnlySpan<nint> codes, ReadOnlySpan<nint> ids)
    {
        foreach (nint p in codes) NativeBlocks.Free((void*)p);
        foreach (nint p in ids) NativeBlocks.Free((void*)p);
    }
}
