using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using HammingIndex.Indexing;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

/// <summary>How a build lays out and stages its tables.</summary>
/// <param name="CodesInTables">Whether each entry keeps a copy of its code.</param>
/// <param name="DirectMaxBits">The longest substring given a direct table (tests lower it to force the two-level layout).</param>
/// <param name="BudgetBytes">The memory one scatter pass may stage (8 or 16 bytes per entry, 4 per directory bucket).</param>
internal readonly record struct TableBuildSettings(bool CodesInTables, int DirectMaxBits, long BudgetBytes);

/// <summary>
/// Builds the m tables of a store's codes 0..count-1 (deleted ones left out) into a tables image, out
/// of core: one counting pass over the store fills every table's directory in the output, prefix sums
/// turn the counts into offsets, then each table's directory buckets are cut into ranges whose entries fit the
/// memory budget and each range takes one scatter pass over the store (each entry staged as (low bits,
/// position) at its bucket's cursor), its buckets sorted, and its low bits and positions written to the
/// output in order. Every pass uses all cores, each worker reading the whole store in order and
/// owning a share of the buckets (no atomics; positions arrive in order within a bucket). The
/// output is native memory or a file mapped for writing (<c>path.tmp</c>, flushed, fsynced, renamed,
/// directory fsynced, then mapped read-only); a failed or cancelled build removes the temporary file.
/// The result depends only on the codes: any budget gives the same bytes.
/// </summary>
internal static class MultiIndexTableBuilder
{
    /// <summary>The staging budget when none is set: 2 GiB.</summary>
    public const long DefaultBudgetBytes = 2L << 30;

    private delegate void BlockAction(long first, ReadOnlySpan<ulong> codes, ReadOnlySpan<ulong> dead, int n);

    public static unsafe MultiIndexTables Build(StoreMemory memory, long count, long generation, SubstringSplit split, TableBuildSettings settings,
        string? path, StoreFileSystem fileSystem, CancellationToken cancellationToken, IProgress<IndexProgress>? progress)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        if (count > uint.MaxValue - 1)
            ThrowHelper.InvalidOperation($"A multi-index holds at most {uint.MaxValue - 1} positions (uint32); the store has {count}.");
        // Deletes may land while the build runs: every pass sees the tombstones as they were at its start.
        ulong[]?[] tombstones = Tombstones(memory, count);
        long live = count - DeletedCount(tombstones, count, memory.BlockCapacity);
        if (live > TableShape.MaxEntries)
            ThrowHelper.InvalidOperation($"A multi-index table holds at most {TableShape.MaxEntries} entries; the store has {live} live codes.");
        int words = memory.Layout.WordsPerCode;
        int codeWords = settings.CodesInTables && MultiIndexFile.CanHoldCodes(count, words) ? words : 0;
        var shapes = new TableShape[split.Count];
        for (int j = 0; j < split.Count; j++) shapes[j] = TableShape.Choose(split.Length(j), live, codeWords, settings.DirectMaxBits);
        var layout = new MultiIndexFile.Layout(shapes);

        string? full = path is null ? null : AtomicFile.CheckTarget(path, overwrite: true);
        string? temporary = full is null ? null : AtomicFile.TemporaryPathFor(full);
        FileStream? file = null;
        TablesImage? image = null;
        byte* staging = null;
        long stagingBytes;
        try
        {
            if (temporary is null) image = TablesImage.Allocate(layout.Length);
            else
            {
                file = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
                file.SetLength(layout.Length);
                image = TablesImage.MapWritable(file, layout.Length);
            }
            var tables = new MultiIndexHashTable[split.Count];
            for (int j = 0; j < split.Count; j++) tables[j] = layout.Table(image, j);
            var parallel = new ParallelOptions { CancellationToken = cancellationToken };
            long budget = settings.BudgetBytes > 0 ? settings.BudgetBytes : DefaultBudgetBytes;
            var ranges = new List<(int First, int End)>[split.Count];

            Count(memory, count, tombstones, split, image, layout, parallel);
            for (int j = 0; j < split.Count; j++) ranges[j] = Ranges(tables[j], PrefixSums(image, layout, j), budget);
            // One staging block for every pass, native and freed at the end: a managed array per pass
            // left up to a budget of garbage per pass for the GC to find (9.5 GiB anonymous at 10^9).
            stagingBytes = StagingBytes(image, layout, ranges);
            if (stagingBytes > 0) staging = (byte*)NativeMemory.AlignedAlloc((nuint)stagingBytes, 64);
            for (int j = 0; j < split.Count; j++)
            {
                foreach (var (first, end) in ranges[j])
                {
                    if (shapes[j].LowBits <= 32) Scatter<ulong>(memory, count, tombstones, split, j, image, layout, first, end, staging, parallel);
                    else Scatter<UInt128>(memory, count, tombstones, split, j, image, layout, first, end, staging, parallel);
                }
                if (codeWords != 0) GatherCodes(memory, image, layout, j, parallel);
                progress?.Report(new IndexProgress(IndexOperation.BuildTables, j + 1, split.Count));
            }
            cancellationToken.ThrowIfCancellationRequested();
            MultiIndexFile.WriteHeader(image, layout, split.Bits, count, generation, memory.BindingDigest(count, generation));
            if (file is null) return new MultiIndexTables(split, tables, image, layout, count, generation, watch.Elapsed);

            image.Flush();
            image.Dispose();
            image = null;
            file.Flush(flushToDisk: true);
            // Written through a map, the tables sit in the page cache in 4 KiB folios, and the read-only map
            // would keep them so; dropped now that they are on disk, they come back in the 2 MiB folios its
            // huge-page advice asks for, as the first probes or a verify fault them in (TablesImage.MapReadOnly).
            if (TablesImage.AdvisesHugePages(layout.Length, TablesImage.MappedHugePagesUpTo)) ReadAhead.DropCached(file.SafeFileHandle);
            file.Dispose();
            file = null;
            fileSystem.Move(temporary!, full!, overwrite: true);
            fileSystem.SyncDirectory(full!);
            MultiIndexTables opened = MultiIndexFile.Open(full!, memory, count, generation, split.Count, settings.CodesInTables, verifyMaxBytes: 0); // checksummed just now
            return opened.WithBuildTime(watch.Elapsed);
        }
        catch
        {
            image?.Dispose();
            file?.Dispose();
            if (temporary is not null) AtomicFile.TryDelete(temporary, fileSystem);
            throw;
        }
        finally
        {
            if (staging is not null) NativeMemory.AlignedFree(staging);
        }
    }

    /// <summary>The staging bytes of the largest scatter pass: its entries (8 or 16 bytes each, 16-aligned) and a cursor per bucket.</summary>
    private static unsafe long StagingBytes(TablesImage image, MultiIndexFile.Layout layout, List<(int First, int End)>[] ranges)
    {
        long most = 0;
        for (int j = 0; j < ranges.Length; j++)
        {
            uint* offsets = (uint*)(image.Pointer + layout.Sections[j].Offsets);
            int entryBytes = layout.Shapes[j].LowBits <= 32 ? sizeof(ulong) : 16;
            foreach (var (first, end) in ranges[j])
                most = Math.Max(most, EntriesBytes(offsets[end] - offsets[first], entryBytes) + (long)(end - first) * sizeof(int));
        }
        return most;
    }

    private static long EntriesBytes(long entries, int entryBytes) => (entries * entryBytes + 15) & ~15L;

    /// <summary>A copy of each block's tombstones (null where none): count / 8 bytes.</summary>
    private static ulong[]?[] Tombstones(StoreMemory memory, long count)
    {
        int capacity = memory.BlockCapacity;
        var copies = new ulong[]?[(int)((count + capacity - 1) / capacity)];
        for (int b = 0; b < copies.Length; b++)
        {
            ReadOnlySpan<ulong> dead = memory.BlockTombstones(b);
            if (!dead.IsEmpty) copies[b] = dead.ToArray();
        }
        return copies;
    }

    private static long DeletedCount(ulong[]?[] tombstones, long count, int capacity)
    {
        long deleted = 0;
        for (int b = 0; b < tombstones.Length; b++)
        {
            if (tombstones[b] is not { } dead) continue;
            int n = (int)Math.Min(capacity, count - (long)b * capacity);
            for (int w = 0; w < (n + 63) >> 6; w++)
            {
                ulong bits = dead[w];
                if (w == n >> 6) bits &= (1UL << (n & 63)) - 1; // the last, partial word
                deleted += BitOperations.PopCount(bits);
            }
        }
        return deleted;
    }

    /// <summary>
    /// Runs <paramref name="work"/> once per core, each worker given its share (first, end) of
    /// 0..<paramref name="units"/>; every worker reads the whole store (sequential, cheap) and acts on its
    /// share of the buckets only, so no two workers write the same counter and none needs an atomic
    /// (a locked increment per entry would forbid overlapping the cache misses of the random writes).
    /// </summary>
    private static void PerWorker(long units, ParallelOptions parallel, Action<long, long> work)
    {
        int workers = (int)Math.Max(1, Math.Min(Environment.ProcessorCount, units));
        Parallel.For(0, workers, parallel, w => work(units * w / workers, units * (w + 1) / workers));
    }

    /// <summary>
    /// Calls <paramref name="action"/> for every store block in order; the token is checked between blocks.
    /// A full block is released from the resident set after its action (a mapped store larger than memory
    /// would otherwise stay mapped page by page, every pass adding to the process's RSS).
    /// </summary>
    private static void ForEachBlock(StoreMemory memory, long count, ulong[]?[] tombstones, CancellationToken cancellationToken, BlockAction action)
    {
        int capacity = memory.BlockCapacity;
        for (int b = 0; b < tombstones.Length; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long first = (long)b * capacity;
            int n = (int)Math.Min(capacity, count - first);
            memory.SequentialRead(b);
            action(first, memory.BlockCodes(b, n), tombstones[b], n);
            if (n == capacity) memory.ReleaseResident(b);
        }
    }

    private static bool IsDead(ReadOnlySpan<ulong> dead, int i) => !dead.IsEmpty && (dead[i >> 6] & (1UL << i)) != 0;

    /// <summary>
    /// The counting pass, one read of the store for all tables: every table's directory bucket sizes,
    /// counted into offsets[bucket + 1]. Worker w of W owns the w-th W-th of every table's directory.
    /// </summary>
    private static unsafe void Count(StoreMemory memory, long count, ulong[]?[] tombstones, SubstringSplit split, TablesImage image, MultiIndexFile.Layout layout, ParallelOptions parallel)
    {
        int tables = split.Count;
        long widest = 0;
        for (int j = 0; j < tables; j++) widest = Math.Max(widest, 1L << layout.Shapes[j].DirectoryBits);
        int workers = (int)Math.Max(1, Math.Min(Environment.ProcessorCount, widest));
        Parallel.For(0, workers, parallel, w =>
        {
            var buckets = new ulong[memory.BlockCapacity];
            ForEachBlock(memory, count, tombstones, parallel.CancellationToken, (first, codes, dead, n) =>
            {
                for (int j = 0; j < tables; j++)
                {
                    long size = 1L << layout.Shapes[j].DirectoryBits, from = size * w / workers, to = size * (w + 1) / workers;
                    if (from == to) continue;
                    BucketsOf(split, j, layout.Shapes[j].LowBits, codes, dead, n, (ulong)from, (ulong)(to - from), buckets);
                    uint* o = (uint*)(image.Pointer + layout.Sections[j].Offsets) + from + 1;
                    for (int i = 0; i < n; i++)
                    {
                        if (Sse.IsSupported && i + Ahead < n && buckets[i + Ahead] != Outside) Sse.Prefetch0(o + buckets[i + Ahead]);
                        if (buckets[i] != Outside) o[buckets[i]]++;
                    }
                }
            });
        });
    }

    /// <summary>How far ahead the random writes of the counting and scatter passes are prefetched.</summary>
    private const int Ahead = 32;

    /// <summary>A bucket outside the worker's share (or a deleted code).</summary>
    private const ulong Outside = ulong.MaxValue;

    /// <summary>Each code's directory bucket relative to <paramref name="lowest"/>, or <see cref="Outside"/>.</summary>
    private static void BucketsOf(SubstringSplit split, int j, int lowBits, ReadOnlySpan<ulong> codes, ReadOnlySpan<ulong> dead, int n, ulong lowest, ulong width, Span<ulong> buckets)
    {
        int words = split.Layout.WordsPerCode;
        for (int i = 0; i < n; i++)
        {
            ulong bucket = (split.Extract(codes.Slice(i * words, words), j) >> lowBits) - lowest;
            buckets[i] = bucket < width && !IsDead(dead, i) ? bucket : Outside;
        }
    }

    /// <summary>Turns table j's counts into offsets (offsets[v] = first entry of bucket v); returns them.</summary>
    private static unsafe ReadOnlySpan<uint> PrefixSums(TablesImage image, MultiIndexFile.Layout layout, int j)
    {
        var offsets = new Span<uint>(image.Pointer + layout.Sections[j].Offsets, (int)(layout.Shapes[j].OffsetsBytes / sizeof(uint)));
        for (int v = 1; v < offsets.Length; v++) offsets[v] += offsets[v - 1];
        return offsets;
    }

    /// <summary>Directory buckets cut into consecutive ranges whose staging fits <paramref name="budget"/> (a bucket larger than it alone).</summary>
    private static List<(int First, int End)> Ranges(MultiIndexHashTable table, ReadOnlySpan<uint> offsets, long budget)
    {
        int entryBytes = table.Shape.LowBits <= 32 ? sizeof(ulong) : 16;
        var ranges = new List<(int, int)>();
        int buckets = offsets.Length - 1, first = 0;
        while (first < buckets)
        {
            int end = first + 1;
            while (end < buckets && (long)(offsets[end + 1] - offsets[first]) * entryBytes + (long)(end + 1 - first) * sizeof(uint) <= budget) end++;
            ranges.Add((first, end));
            first = end;
        }
        return ranges;
    }

    /// <summary>
    /// One scatter pass: the entries of buckets first..end-1 of table j staged as (low bits &lt;&lt; 32 | position)
    /// at their buckets' cursors, each bucket sorted (by low bits, then position), then written out.
    /// </summary>
    private static unsafe void Scatter<T>(StoreMemory memory, long count, ulong[]?[] tombstones, SubstringSplit split, int j, TablesImage image, MultiIndexFile.Layout layout,
        int firstBucket, int endBucket, byte* scratch, ParallelOptions parallel) where T : unmanaged, IBinaryInteger<T>
    {
        TableShape shape = layout.Shapes[j];
        var (offsetsAt, lowsAt, positionsAt, _) = layout.Sections[j];
        uint* offsets = (uint*)(image.Pointer + offsetsAt);
        uint baseEntry = offsets[firstBucket];
        int entries = (int)(offsets[endBucket] - baseEntry), buckets = endBucket - firstBucket;
        if (entries == 0) return;
        T* staging = (T*)scratch; // entries, then a cursor per bucket (sized by StagingBytes)
        int* cursors = (int*)(scratch + EntriesBytes(entries, sizeof(T)));
        for (int v = 0; v < buckets; v++) cursors[v] = (int)(offsets[firstBucket + v] - baseEntry);
        int words = memory.Layout.WordsPerCode, lowBits = shape.LowBits;
        ulong lowMask = lowBits == 64 ? ulong.MaxValue : (1UL << lowBits) - 1;
        PerWorker(buckets, parallel, (from, to) =>
        {
            var relative = new ulong[memory.BlockCapacity];
            ForEachBlock(memory, count, tombstones, parallel.CancellationToken, (first, codes, dead, n) =>
            {
                BucketsOf(split, j, lowBits, codes, dead, n, (ulong)(firstBucket + from), (ulong)(to - from), relative);
                int* c = cursors + from;
                for (int i = 0; i < n; i++)
                {
                    if (Sse.IsSupported && i + Ahead < n)
                    {
                        if (relative[i + Ahead] != Outside) Sse.Prefetch0(c + relative[i + Ahead]);
                        if (relative[i + Ahead / 2] != Outside) Sse.Prefetch0(staging + c[relative[i + Ahead / 2]]);
                    }
                    ulong bucket = relative[i];
                    if (bucket == Outside) continue;
                    ulong key = split.Extract(codes.Slice(i * words, words), j);
                    staging[c[bucket]++] = (T.CreateTruncating(key & lowMask) << 32) | T.CreateTruncating((ulong)(first + i));
                }
            });
        });
        // Sort each bucket, then write its low bits and positions, a slice of buckets per worker.
        int slices = Math.Min(buckets, Environment.ProcessorCount * 8);
        Parallel.For(0, slices, parallel, slice =>
        {
            int from = (int)((long)buckets * slice / slices), to = (int)((long)buckets * (slice + 1) / slices);
            int start = (int)(offsets[firstBucket + from] - baseEntry), end = (int)(offsets[firstBucket + to] - baseEntry);
            for (int v = from; v < to; v++)
            {
                int s = (int)(offsets[firstBucket + v] - baseEntry), e = (int)(offsets[firstBucket + v + 1] - baseEntry);
                if (lowBits != 0 && e - s > 1) new Span<T>(staging + s, e - s).Sort(); // direct buckets are filled in position order already
            }
            uint* positions = (uint*)(image.Pointer + positionsAt) + baseEntry;
            byte* lows = image.Pointer + lowsAt;
            for (int i = start; i < end; i++)
            {
                T packed = staging[i];
                positions[i] = uint.CreateTruncating(packed);
                ulong low = ulong.CreateTruncating(packed >> 32);
                long entry = baseEntry + (long)i;
                switch (shape.LowBytes)
                {
                    case 0: break;
                    case 1: lows[entry] = (byte)low; break;
                    case 2: ((ushort*)lows)[entry] = (ushort)low; break;
                    case 4: ((uint*)lows)[entry] = (uint)low; break;
                    default: ((ulong*)lows)[entry] = low; break;
                }
            }
        });
        // Written: out of the resident set (still in the page cache until written back).
        image.ReleaseResident(positionsAt + (long)baseEntry * sizeof(uint), (long)entries * sizeof(uint));
        if (shape.LowBytes > 0) image.ReleaseResident(lowsAt + (long)baseEntry * shape.LowBytes, (long)entries * shape.LowBytes);
    }

    /// <summary>Copies each entry's code from the store into table j's codes section (random reads of the store).</summary>
    private static unsafe void GatherCodes(StoreMemory memory, TablesImage image, MultiIndexFile.Layout layout, int j, ParallelOptions parallel)
    {
        TableShape shape = layout.Shapes[j];
        var (_, _, positionsAt, codesAt) = layout.Sections[j];
        int words = shape.CodeWords;
        long entries = shape.Entries;
        const int Slice = 1 << 16;
        Parallel.For(0, (entries + Slice - 1) / Slice, parallel, slice =>
        {
            uint* positions = (uint*)(image.Pointer + positionsAt);
            ulong* codes = (ulong*)(image.Pointer + codesAt);
            for (long i = slice * Slice, end = Math.Min(entries, i + Slice); i < end; i++)
                memory.Code(positions[i]).CopyTo(new Span<ulong>(codes + i * words, words));
        });
    }
}
