using HammingIndex.Indexing;
using HammingIndex.Search;
using HammingIndex.Storage;
using Microsoft.Extensions.ObjectPool;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Multi-index hashing over a <see cref="CodeStore"/> (Norouzi, Punjani and Fleet, "Fast Exact
/// Search in Hamming Space with Multi-Index Hashing", CVPR 2012 / TPAMI 2014): each code is cut
/// into m disjoint substrings, one table per substring maps a substring value to the positions of
/// the codes that have it, and exact radius and k-NN searches probe the tables near the query's
/// substrings and verify the candidates. Results are exactly those of the linear scan.
/// </summary>
/// <remarks>
/// Codes appended after a build form a delta that is scanned linearly; a search that finds the delta
/// larger than <see cref="MultiIndexOptions.MaxDeltaCount"/> rebuilds the tables first, as does one
/// that finds the store compacted (its <see cref="CodeStore.Generation"/> changed). Deleted codes are
/// skipped. Thread-safe: any number of concurrent searches; rebuilds are serialized and published
/// atomically (a search uses one build from start to end). <see cref="CodeIndex"/> turns the rebuilds
/// inside searches off (<see cref="RebuildsInQueries"/>) and rebuilds in the background instead.
/// </remarks>
public sealed partial class MultiIndexHash
{
    private readonly object _buildLock = new();
    private readonly ObjectPool<MultiIndexScratch> _scratchPool =
        new DefaultObjectPool<MultiIndexScratch>(new DefaultPooledObjectPolicy<MultiIndexScratch>());

    /// <summary>This thread's own scratch while no search of this thread holds it (see <see cref="RentScratch"/>).</summary>
    [ThreadStatic] private static MultiIndexScratch? t_scratch;

    /// <summary>
    /// Scratch for one search: the calling thread's own when free, else one from the pool. A pool
    /// shared by threads hands a scratch to whichever thread asks next, so with searches on several
    /// cores its arrays moved from core to core with it, and its slot is a cache line every core
    /// writes: two threads asking lone r = 0 queries of 1M 128-bit codes (positions-only tables)
    /// answered 0.6 times as many a second as one thread did; with a scratch per thread, 0.95–0.99
    /// (bench/README.md, eighth session). Scratch holds nothing of an index
    /// (<see cref="MultiIndexScratch.BeginQuery"/> sizes it for the tables at hand), so one per thread
    /// serves every index; a search nested in another on the same thread takes one from the pool. A
    /// thread keeps its scratch until it ends (its size: the largest search it ran, as a pooled one's).
    /// </summary>
    private MultiIndexScratch RentScratch()
    {
        MultiIndexScratch? own = t_scratch;
        if (own is null) return _scratchPool.Get();
        t_scratch = null;
        return own;
    }

    private void ReturnScratch(MultiIndexScratch scratch)
    {
        if (t_scratch is null) t_scratch = scratch;
        else _scratchPool.Return(scratch);
    }

    private MultiIndexTables _tables;

    /// <summary>Builds the tables over the codes of <paramref name="store"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The substring count is not between ceil(b / 64) and b.</exception>
    public MultiIndexHash(CodeStore store, MultiIndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        Options = CheckOptions(options ?? new MultiIndexOptions(), store.Bits);
        StoreMemory memory = store.AcquireMemory(out long count, out long generation);
        try
        {
            _tables = Build(memory, count, generation, CancellationToken.None, null);
        }
        finally
        {
            memory.Release();
        }
    }

    internal MultiIndexHash(CodeStore store, MultiIndexOptions options, MultiIndexTables tables, string? tablesPath = null)
    {
        Store = store;
        Options = options;
        _tables = tables;
        _tablesPath = tablesPath;
    }

    /// <summary>The tables file this index maps and rebuilds into (null: tables in memory).</summary>
    private readonly string? _tablesPath;

    /// <summary>Whether the tables are read in place from a mapped file (<see cref="Open"/>, <see cref="Build(CodeStore, string, MultiIndexOptions?, IProgress{IndexProgress}?, CancellationToken)"/>) rather than native memory.</summary>
    public bool IsMapped => Tables.IsMapped;

    /// <summary>The indexed store.</summary>
    public CodeStore Store { get; }

    /// <summary>The settings.</summary>
    public MultiIndexOptions Options { get; }

    /// <summary>m, the number of substrings (tables) of the current build.</summary>
    public int SubstringCount => Tables.Split.Count;

    /// <summary>The substring lengths in bits (they differ by at most one).</summary>
    public IReadOnlyList<int> SubstringLengths => Tables.Split.Lengths.ToArray();

    /// <summary>Store positions covered by the tables.</summary>
    public long IndexedCount => Tables.IndexedCount;

    /// <summary>Codes appended since the build, searched by a linear scan until the next rebuild.</summary>
    public long DeltaCount => Math.Max(0, Store.Count - Tables.IndexedCount);

    /// <summary>Bytes of all tables (the tables file's length when mapped).</summary>
    public long TableBytes => Tables.ByteSize;

    /// <summary>Table bytes per indexed position (the store's codes not included; the tables' copies of them are).</summary>
    public double TableBytesPerCode => Tables.IndexedCount == 0 ? 0 : (double)Tables.ByteSize / Tables.IndexedCount;

    /// <summary>How long the last build took.</summary>
    public TimeSpan BuildTime => Tables.BuildTime;

    internal MultiIndexTables Tables => Volatile.Read(ref _tables);

    /// <summary>
    /// Whether a search that finds the tables stale builds new ones before it answers (the default).
    /// When false a search never builds: a delta over the limit is scanned until someone calls
    /// <see cref="Rebuild()"/>, and tables of an older store generation are not used at all (the
    /// probing methods report that they did not answer, so the front door scans).
    /// </summary>
    internal bool RebuildsInQueries { get; set; } = true;

    /// <summary>Whether the current tables cover the store's current generation (else a search cannot use them).</summary>
    internal bool TablesMatchStore => Tables.Generation == Store.Generation;

    /// <summary>Rebuilds the tables over every code now in the store (merging the delta).</summary>
    public void Rebuild() => Rebuild(CancellationToken.None);

    /// <summary>
    /// Rebuilds the tables over every code now in the store (merging the delta) and publishes them
    /// atomically: searches running meanwhile use the previous tables (and scan the delta).
    /// </summary>
    /// <param name="cancellationToken">Stops the build (between store blocks); the previous tables stay.</param>
    /// <param name="progress">Told each time a table is finished (<see cref="IndexOperation.BuildTables"/>).</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public void Rebuild(CancellationToken cancellationToken, IProgress<IndexProgress>? progress = null)
    {
        StoreMemory memory = Store.AcquireMemory(out long count, out long generation);
        try
        {
            lock (_buildLock) Publish(Build(memory, count, generation, cancellationToken, progress));
        }
        finally
        {
            memory.Release();
        }
    }

    /// <summary>All live codes within <paramref name="radius"/> of <paramref name="query"/>, sorted by distance, then id.</summary>
    /// <exception cref="ArgumentException">The query has the wrong length or non-zero padding.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..bits.</exception>
    /// <exception cref="InvalidOperationException">Searches may not rebuild (the tables of a <see cref="CodeIndex"/>) and the tables are of an older store generation.</exception>
    public Neighbor[] WithinRadius(ReadOnlySpan<ulong> query, int radius)
    {
        var results = new List<Neighbor>();
        WithinRadius(query, radius, results);
        return [.. results];
    }

    /// <summary>Appends to <paramref name="results"/> all live codes within <paramref name="radius"/>, sorted by distance, then id.</summary>
    /// <exception cref="ArgumentException">The query has the wrong length or non-zero padding.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..bits.</exception>
    /// <exception cref="InvalidOperationException">Searches may not rebuild (the tables of a <see cref="CodeIndex"/>) and the tables are of an older store generation.</exception>
    public void WithinRadius(ReadOnlySpan<ulong> query, int radius, List<Neighbor> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (!TryWithinRadius(query, radius, results, SearchBudget.Unlimited, out _)) ThrowStale();
    }

    /// <summary>The <paramref name="k"/> nearest live codes (all of them if fewer), sorted by distance, then id.</summary>
    /// <exception cref="ArgumentException">The query has the wrong length or non-zero padding.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">Searches may not rebuild (the tables of a <see cref="CodeIndex"/>) and the tables are of an older store generation.</exception>
    public Neighbor[] TopK(ReadOnlySpan<ulong> query, int k)
    {
        if (!TryTopK(query, k, SearchBudget.Unlimited, out Neighbor[]? results, out _)) ThrowStale();
        return results!;
    }

    /// <summary>
    /// Writes the <paramref name="k"/> nearest live codes (all of them if fewer) into
    /// <paramref name="results"/>, sorted by distance, then id; returns how many.
    /// </summary>
    /// <exception cref="ArgumentException">The query has the wrong length or padding, or <paramref name="results"/> is shorter than k.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">Searches may not rebuild (the tables of a <see cref="CodeIndex"/>) and the tables are of an older store generation.</exception>
    public int TopK(ReadOnlySpan<ulong> query, int k, Span<Neighbor> results)
    {
        Store.Layout.ValidateCode(query);
        ThrowHelper.CheckResults(k, results.Length);
        StoreMemory memory = Store.AcquireMemory(out long count, out long generation);
        try
        {
            int written = TopKCore(query, k, SearchBudget.Unlimited, memory, count, generation, results, out _, out _);
            if (written < 0) ThrowStale();
            return written;
        }
        finally
        {
            memory.Release();
        }
    }

    /// <summary>Radius search that gives up (false) once over <paramref name="budget"/>, or when the cost model expects it to be.</summary>
    internal bool TryWithinRadius(ReadOnlySpan<ulong> query, int radius, List<Neighbor> results, SearchBudget budget, out long candidates)
    {
        Store.Layout.ValidateCode(query);
        ThrowHelper.CheckRadius(radius, Store.Bits);
        using var run = new RadiusRun(this);
        return run.TryOne(query, radius, budget, results, out _, out candidates);
    }

    /// <summary>Radius search into a new array (null when it gave up): no list in between.</summary>
    internal bool TryWithinRadius(ReadOnlySpan<ulong> query, int radius, SearchBudget budget, out Neighbor[]? results, out long candidates)
    {
        Store.Layout.ValidateCode(query);
        ThrowHelper.CheckRadius(radius, Store.Bits);
        using var run = new RadiusRun(this);
        return run.TryOne(query, radius, budget, null, out results, out candidates);
    }

    /// <summary>
    /// Radius searches under one store pin, one table resolution and one scratch (a batch thread's
    /// queries): each answered and decided as it would be alone. The caller validates the queries and
    /// the radius; <see cref="Dispose"/> lets go of the pin and the scratch.
    /// </summary>
    internal ref struct RadiusRun
    {
        private readonly MultiIndexHash _index;
        private readonly StoreMemory _memory;
        private readonly long _count;
        private readonly MultiIndexTables? _tables;
        private MultiIndexScratch? _scratch;

        /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
        public RadiusRun(MultiIndexHash index)
        {
            _index = index;
            _memory = index.Store.AcquireMemory(out _count, out long generation);
            try
            {
                _tables = index.CurrentTables(_memory, _count, generation);
            }
            catch
            {
                _memory.Release();
                throw;
            }
            _scratch = _tables is null ? null : index.RentScratch();
        }

        /// <summary>
        /// One radius search: true with the complete answer (appended to <paramref name="append"/> when
        /// given, else a new array in <paramref name="results"/>), false when it gave up over
        /// <paramref name="budget"/> or the tables are stale (this run's store generation has no tables).
        /// </summary>
        public readonly bool TryOne(ReadOnlySpan<ulong> query, int radius, SearchBudget budget, List<Neighbor>? append, out Neighbor[]? results, out long candidates)
        {
            results = null;
            candidates = 0;
            if (_tables is null) return false;
            var work = new ProbeWork(budget, _tables);
            bool complete = RadiusProbe.Run(_tables, _memory, _count, query, radius, _scratch!, ref work);
            candidates = work.Candidates;
            if (complete)
            {
                if (append is not null) append.AddRange(_scratch!.Results);
                else results = [.. _scratch!.Results];
            }
            _scratch!.Results.Clear();
            return complete;
        }

        public void Dispose()
        {
            if (_scratch is not null)
            {
                _scratch.Results.Clear();
                _index.ReturnScratch(_scratch);
                _scratch = null;
            }
            GC.KeepAlive(_tables); // the tables' image stays mapped until the probes are done
            _memory.Release();
        }
    }

    /// <summary>k-NN search into a new array of min(k, count) that gives up (false, null) once over <paramref name="budget"/>.</summary>
    internal bool TryTopK(ReadOnlySpan<ulong> query, int k, SearchBudget budget, out Neighbor[]? results, out long candidates) =>
        TryTopK(query, k, budget, out results, out candidates, out _);

    /// <summary>As <see cref="TryTopK(ReadOnlySpan{ulong}, int, SearchBudget, out Neighbor[], out long)"/>, with the work spent in the cost model's units.</summary>
    internal bool TryTopK(ReadOnlySpan<ulong> query, int k, SearchBudget budget, out Neighbor[]? results, out long candidates, out double spent)
    {
        Store.Layout.ValidateCode(query);
        ThrowHelper.CheckK(k);
        StoreMemory memory = Store.AcquireMemory(out long count, out long generation);
        try
        {
            var found = new Neighbor[(int)Math.Min(k, count)];
            int written = TopKCore(query, k, budget, memory, count, generation, found, out candidates, out spent);
            results = written < 0 ? null : written == found.Length ? found : found[..written];
            return written >= 0;
        }
        finally
        {
            memory.Release();
        }
    }

    /// <summary>k-NN search into a span of at least min(k, count); -1 once over <paramref name="budget"/>.</summary>
    internal int TryTopK(ReadOnlySpan<ulong> query, int k, SearchBudget budget, Span<Neighbor> results, out long candidates) =>
        TryTopK(query, k, budget, results, out candidates, out _);

    /// <summary>As <see cref="TryTopK(ReadOnlySpan{ulong}, int, SearchBudget, Span{Neighbor}, out long)"/>, with the work spent in the cost model's units.</summary>
    internal int TryTopK(ReadOnlySpan<ulong> query, int k, SearchBudget budget, Span<Neighbor> results, out long candidates, out double spent)
    {
        Store.Layout.ValidateCode(query);
        ThrowHelper.CheckK(k);
        StoreMemory memory = Store.AcquireMemory(out long count, out long generation);
        try
        {
            if (results.Length < Math.Min(k, count))
                ThrowHelper.Argument(nameof(results), $"Room for {results.Length} results; min(k = {k}, {count} codes) are needed.");
            return TopKCore(query, k, budget, memory, count, generation, results, out candidates, out spent);
        }
        finally
        {
            memory.Release();
        }
    }

    private int TopKCore(ReadOnlySpan<ulong> query, int k, SearchBudget budget, StoreMemory memory, long count, long generation,
        Span<Neighbor> results, out long candidates, out double spent)
    {
        MultiIndexScratch scratch = RentScratch();
        try
        {
            MultiIndexTables? tables = CurrentTables(memory, count, generation);
            candidates = 0;
            spent = 0;
            if (tables is null) return -1;
            var work = new ProbeWork(budget, tables);
            int written = NearestProbe.Run(tables, memory, count, query, k, scratch, ref work, results);
            GC.KeepAlive(tables); // the tables' image stays mapped until the probe is done
            candidates = work.Candidates;
            spent = work.Spent;
            return written;
        }
        finally
        {
            ReturnScratch(scratch);
        }
    }

    /// <summary>File name extension of saved tables, conventionally written beside the store (store path + ".mih").</summary>
    public const string FileExtension = ".mih";

    /// <summary>
    /// Saves the current build (versioned, checksummed, bound to the store's content; written to
    /// <c>path.tmp</c>, synced and renamed over <paramref name="path"/>, the temporary file removed on
    /// failure). Codes in the delta are not in the file; they are searched as a delta again after loading.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException"><paramref name="path"/> is a directory, its directory does not exist, or writing failed (the old file, if any, is left as it was).</exception>
    public void Save(string path) => Save(path, StoreFileSystem.Default);

    /// <summary>Saves through <paramref name="fileSystem"/> (tests inject faults there).</summary>
    internal void Save(string path, StoreFileSystem fileSystem)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        StoreMemory memory = Store.AcquireMemory(out long count, out long generation);
        try
        {
            MultiIndexTables tables = Tables;
            if (tables.Generation != generation)
            {
                lock (_buildLock) Publish(tables = Build(memory, count, generation, CancellationToken.None, null));
            }
            if (tables.Image.Path != Path.GetFullPath(path)) MultiIndexFile.Save(tables, path, fileSystem); // a mapped build is its file already
        }
        finally
        {
            memory.Release();
        }
    }

    /// <summary>
    /// Maps the tables file at <paramref name="path"/> (written by <see cref="Save(string)"/> or
    /// <see cref="Build(CodeStore, string, MultiIndexOptions?, IProgress{IndexProgress}?, CancellationToken)"/>)
    /// for <paramref name="store"/>: searches read it in place. Takes milliseconds at any size: the header's
    /// checksum, the sections' bounds against the file's length and the store binding are checked, the
    /// sections themselves are not (see <see cref="Verify"/>). Later rebuilds write the same file.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="MultiIndexFileException">The file is not a multi-index file, has another format version (1 and 2 are refused), is
    /// corrupt (checksum or structure), or was built over other codes, another store generation, another m or the other code-copy layout.</exception>
    public static MultiIndexHash Open(CodeStore store, string path, MultiIndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(path);
        options = CheckOptions(options ?? new MultiIndexOptions(), store.Bits);
        StoreMemory memory = store.AcquireMemory(out long count, out long generation);
        try
        {
            MultiIndexTables tables = MultiIndexFile.Open(path, memory, count, generation, options.SubstringCount, options.KeepsCodesInTables(store.Bits, count), options.VerifyOnOpenMaxBytes);
            return new MultiIndexHash(store, options, tables, tables.Image.Path);
        }
        finally
        {
            memory.Release();
        }
    }

    /// <summary>The same as <see cref="Open"/> (kept for callers of the loaded tables, which are now mapped).</summary>
    /// <inheritdoc cref="Open"/>
    public static MultiIndexHash Load(CodeStore store, string path, MultiIndexOptions? options = null) => Open(store, path, options);

    /// <summary>
    /// Builds the tables over every code now in <paramref name="store"/> straight into the tables file at
    /// <paramref name="path"/> and maps it, out of core: memory beyond the output's page cache stays within
    /// <see cref="MultiIndexOptions.BuildMemoryBudgetBytes"/> (plus one directory count per table), both cores
    /// work, and the file is written atomically (<c>path.tmp</c>, fsynced, renamed, directory fsynced; removed
    /// on failure or cancellation, the old file left as it was). Later rebuilds write the same file.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    /// <exception cref="IOException"><paramref name="path"/> is a directory, its directory does not exist, or writing failed.</exception>
    /// <exception cref="InvalidOperationException">The store holds more than 2^32 - 2 positions or 2^31 - 1 live codes.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static MultiIndexHash Build(CodeStore store, string path, MultiIndexOptions? options = null,
        IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(path);
        options = CheckOptions(options ?? new MultiIndexOptions(), store.Bits);
        string full = Path.GetFullPath(path);
        StoreMemory memory = store.AcquireMemory(out long count, out long generation);
        try
        {
            return new MultiIndexHash(store, options, BuildTables(store, options, memory, count, generation, full, cancellationToken, progress), full);
        }
        finally
        {
            memory.Release();
        }
    }

    /// <summary>
    /// Streams every table's sections through their checksums (and checks that each directory never
    /// decreases and each position is indexed): the full check <see cref="Open"/> leaves out.
    /// </summary>
    /// <exception cref="MultiIndexFileException">A section was damaged since it was written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public void Verify(CancellationToken cancellationToken = default) => MultiIndexFile.Verify(Tables, cancellationToken);

    /// <summary>
    /// Maps the tables saved at <paramref name="path"/>, or, when there is no usable file (missing,
    /// corrupt, another version, or stale), builds them into it (<see cref="Build(CodeStore, string, MultiIndexOptions?, IProgress{IndexProgress}?, CancellationToken)"/>).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    public static MultiIndexHash OpenOrBuild(CodeStore store, string path, MultiIndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            try
            {
                return Open(store, path, options);
            }
            catch (MultiIndexFileException)
            {
                // Tables are derived data: rebuild them rather than fail.
            }
        }
        return Build(store, path, options);
    }

    /// <summary>
    /// Loads the tables saved beside a file-backed store (its path + <see cref="FileExtension"/>), or
    /// builds and saves them there when that file is missing or unusable.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="store"/> is held in memory (it has no path).</exception>
    public static MultiIndexHash OpenOrBuild(CodeStore store, MultiIndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        string? storePath = store.Path;
        if (storePath is null)
            ThrowHelper.Argument(nameof(store), "The store is held in memory: give the tables file a path.");
        return OpenOrBuild(store, storePath + FileExtension, options);
    }

    /// <summary>
    /// The build to search with: rebuilt first if the store was compacted or the delta grew too large;
    /// without <see cref="RebuildsInQueries"/> the current build, or null if it is of another generation.
    /// </summary>
    internal MultiIndexTables? CurrentTables(StoreMemory memory, long count, long generation)
    {
        MultiIndexTables tables = Tables;
        if (tables.Generation == generation && count - tables.IndexedCount <= MaxDelta(tables)) return tables;
        bool sameGeneration = tables.Generation == generation;
        if (!RebuildsInQueries) return sameGeneration ? tables : null;
        // A delta that is merely too large can be searched a little longer while another search rebuilds.
        if (sameGeneration && !Monitor.TryEnter(_buildLock)) return tables;
        if (!sameGeneration) Monitor.Enter(_buildLock);
        try
        {
            tables = Tables;
            if (tables.Generation == generation && count - tables.IndexedCount <= MaxDelta(tables)) return tables;
            MultiIndexTables built = Build(memory, count, generation, CancellationToken.None, null);
            Publish(built);
            return built;
        }
        finally
        {
            Monitor.Exit(_buildLock);
        }
    }

    private void Publish(MultiIndexTables built)
    {
        MultiIndexTables current = Tables;
        if (built.Generation > current.Generation || (built.Generation == current.Generation && built.IndexedCount >= current.IndexedCount))
            Volatile.Write(ref _tables, built);
    }

    /// <summary>
    /// A rebuild: into the mapped file when there is one; if that file cannot be written, into memory, so
    /// the new tables are still published (the next <see cref="Save(string)"/> reports the file's error).
    /// </summary>
    private MultiIndexTables Build(StoreMemory memory, long count, long generation, CancellationToken cancellationToken, IProgress<IndexProgress>? progress)
    {
        if (_tablesPath is not null)
        {
            try
            {
                return BuildTables(Store, Options, memory, count, generation, _tablesPath, cancellationToken, progress);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Fall through: the tables in memory, the file left as it was.
            }
        }
        return BuildTables(Store, Options, memory, count, generation, null, cancellationToken, progress);
    }

    private static MultiIndexTables BuildTables(CodeStore store, MultiIndexOptions options, StoreMemory memory, long count, long generation, string? path,
        CancellationToken cancellationToken, IProgress<IndexProgress>? progress)
    {
        var split = new SubstringSplit(store.Bits, options.SubstringCount > 0 ? options.SubstringCount : SubstringSplit.ChooseCount(store.Bits, count));
        var settings = new TableBuildSettings(options.KeepsCodesInTables(store.Bits, count), options.DirectTableMaxBits, options.BuildMemoryBudgetBytes);
        return MultiIndexTables.Build(memory, count, generation, split, settings, cancellationToken, progress, path);
    }

    private long MaxDelta(MultiIndexTables tables) =>
        Options.MaxDeltaCount > 0 ? Options.MaxDeltaCount : Math.Max(4096, tables.IndexedCount / 64);

    private static MultiIndexOptions CheckOptions(MultiIndexOptions options, int bits)
    {
        int m = options.SubstringCount;
        int min = SubstringSplit.MinCount(bits);
        if (m != 0 && (m < min || m > bits))
            ThrowHelper.ArgumentOutOfRange("options.SubstringCount", m, $"For {bits}-bit codes the substring count must be 0 (automatic) or between {min} and {bits}.");
        if (options.BuildMemoryBudgetBytes < 0)
            ThrowHelper.ArgumentOutOfRange("options.BuildMemoryBudgetBytes", options.BuildMemoryBudgetBytes, "The build's memory budget must be 0 (default) or positive.");
        if (options.DirectTableMaxBits is < 0 or > TableShape.MaxDirectoryBits)
            ThrowHelper.ArgumentOutOfRange("options.DirectTableMaxBits", options.DirectTableMaxBits, $"Direct tables have 0..{TableShape.MaxDirectoryBits} bits.");
        if (options.MaxDeltaCount < 0)
            ThrowHelper.ArgumentOutOfRange("options.MaxDeltaCount", options.MaxDeltaCount, "The delta limit must be 0 (automatic) or positive.");
        return options;
    }
}
