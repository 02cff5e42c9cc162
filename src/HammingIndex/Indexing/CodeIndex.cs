using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Indexing;

/// <summary>
/// An exact Hamming-space index of binary codes with unique 64-bit ids, in memory or in a file: add,
/// delete, look up by id, and search the k nearest codes or all codes within a radius, one query at a
/// time or batched. It holds a <see cref="CodeStore"/> (the codes, durable at <see cref="Flush"/>),
/// multi-index tables over it (saved beside a file as <c>path + ".mih"</c> and loaded at open), and the
/// front door (<see cref="MultiIndexSearcher"/>) that answers each query by probing the tables or by
/// scanning, whichever its cost model expects to be faster. Answers are exact either way.
/// </summary>
/// <remarks>
/// <para>Threading contract: any number of searches and id lookups may run at once, also while one
/// writer adds, deletes, flushes or compacts; writes are serialized by the index. A search sees a
/// consistent prefix of the codes added before it started; a delete made during a search may or may not
/// be seen by it. <see cref="Dispose"/> waits for background rebuilds (cancelling them) and may run
/// while searches do: those finish on memory kept alive until they end; later calls throw
/// <see cref="ObjectDisposedException"/>.</para>
/// <para>Table rebuilds never run inside a search. Codes added after the last build are the delta,
/// which searches scan; once it passes <see cref="CodeIndexOptions.RebuildDelta"/> an add starts a
/// rebuild on the thread pool (or call <see cref="RebuildTables"/> / <see cref="RebuildTablesAsync"/>).
/// Searches meanwhile keep the old tables plus the delta scan; the new tables are published atomically
/// and saved beside the file. <see cref="Compact"/> renumbers positions and rebuilds the tables before
/// it returns; searches during it scan.</para>
/// <para>Ids are unique among live codes: adding an id that is live throws. An index opened over a store
/// written directly with duplicate ids treats the last appended code of an id as its code. Ids are
/// mapped to positions by the store's in-memory id index (a hash map, about 30 bytes per code), built
/// on the first add, lookup or delete after opening (it reads every id once); an index that is only
/// searched never builds it.</para>
/// </remarks>
public sealed partial class CodeIndex : IHammingSearcher, IDisposable
{
    private readonly object _writeLock = new();
    private readonly CodeStore _store;
    private readonly MultiIndexHash _tables;
    private readonly MultiIndexSearcher _door;
    private readonly CodeIndexOptions _options;
    private bool _disposed;

    private CodeIndex(CodeStore store, MultiIndexHash tables, CodeIndexOptions options, bool readOnly)
    {
        _store = store;
        _tables = tables;
        _tables.RebuildsInQueries = false;
        _options = options;
        IsReadOnly = readOnly;
        _door = new MultiIndexSearcher(tables, options.Scan);
    }

    /// <summary>Creates an empty index of <paramref name="bits"/>-bit codes in memory.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is outside 8..4096, or an option is out of range.</exception>
    public static CodeIndex CreateInMemory(int bits, CodeIndexOptions? options = null)
    {
        options = Checked(options);
        CodeStore store = CodeStore.CreateInMemory(bits, options.Store);
        return Around(store, options, readOnly: false, s => new MultiIndexHash(s, options.Tables));
    }

    /// <summary>
    /// Creates an empty index file of <paramref name="bits"/>-bit codes at <paramref name="path"/> (and its
    /// tables at <paramref name="path"/> + ".mih").
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is outside 8..4096, or an option is out of range.</exception>
    /// <exception cref="IOException">The file already exists or cannot be written.</exception>
    public static CodeIndex Create(string path, int bits, CodeIndexOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options = Checked(options);
        CodeStore store = CodeStore.Create(path, bits, options.Store);
        // Built into the file beside it (replacing any left beside an earlier store of that name) and mapped.
        return Around(store, options, readOnly: false, s => MultiIndexHash.Build(s, TablesPath(path), options.Tables));
    }

    /// <summary>
    /// Opens the index file at <paramref name="path"/> for reading and writing: the store is recovered to
    /// its last flush (see <see cref="CodeStore.Open"/>), and the tables beside it are loaded, or built
    /// and saved there now when missing, corrupt or stale (derived data is rebuilt, never trusted).
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidFileException">The store file is not a store, of another version, corrupt or truncated.</exception>
    /// <exception cref="IOException">The file is open elsewhere or cannot be read.</exception>
    public static CodeIndex Open(string path, CodeIndexOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options = Checked(options);
        CodeStore store = CodeStore.Open(path, options.Store);
        return Around(store, options, readOnly: false, s => MultiIndexHash.OpenOrBuild(s, TablesPath(path), options.Tables));
    }

    /// <summary>
    /// Opens the index file at <paramref name="path"/> for searching and lookups only: adds, deletes,
    /// flushes, compactions and rebuilds throw <see cref="InvalidOperationException"/>, and nothing is
    /// written (tables that are missing or stale are built in memory, not saved).
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidFileException">The store file is not a store, of another version, corrupt or truncated.</exception>
    /// <exception cref="IOException">The file is open elsewhere or cannot be read.</exception>
    public static CodeIndex OpenReadOnly(string path, CodeIndexOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options = Checked(options);
        CodeStore store = CodeStore.Open(path, options.Store);
        return Around(store, options, readOnly: true, s =>
        {
            try
            {
                return MultiIndexHash.Load(s, TablesPath(path), options.Tables);
            }
            catch (Exception e) when (e is FileNotFoundException or MultiIndexFileException)
            {
                return new MultiIndexHash(s, options.Tables);
            }
        });
    }

    /// <summary>The store file, or null for an index in memory.</summary>
    public string? Path => _store.Path;

    /// <summary>Whether the index was opened with <see cref="OpenReadOnly"/>.</summary>
    public bool IsReadOnly { get; }

    /// <summary>Code length in bits.</summary>
    public int Bits => _store.Bits;

    /// <summary>Words (ulongs) per code: ceil(<see cref="Bits"/> / 64).</summary>
    public int WordsPerCode => _store.Layout.WordsPerCode;

    /// <summary>Live codes (added and not deleted).</summary>
    public long Count => _store.LiveCount;

    /// <summary>Store positions the current tables cover; later ones (the delta) are scanned until the next build.</summary>
    public long IndexedCount => _tables.TablesMatchStore ? _tables.IndexedCount : 0;

    /// <summary>Codes searched by scanning until the next table build (all of them while a compaction's tables are being built).</summary>
    public long DeltaCount => _store.Count - IndexedCount;

    /// <summary>The store underneath (for inspection: write through the index, not the store, to keep ids unique).</summary>
    public CodeStore Store => _store;

    /// <summary>The front door searches go through (its table and scan statistics).</summary>
    public MultiIndexSearcher Searcher => _door;

    /// <summary>
    /// Flushes the store (a file-backed one first commits what is not flushed yet), saves tables not yet
    /// saved, and closes the file; a background rebuild is cancelled and awaited first. Idempotent.
    /// </summary>
    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed) return;
            _disposed = true;
            try
            {
                StopBackgroundRebuilds();
                if (!IsReadOnly)
                {
                    _store.Flush();
                    SaveTables();
                }
            }
            finally
            {
                _store.Dispose();
                _lifetime.Dispose();
            }
        }
    }

    private static string TablesPath(string storePath) => storePath + MultiIndexHash.FileExtension;

    private static CodeIndexOptions Checked(CodeIndexOptions? options)
    {
        options ??= new CodeIndexOptions();
        options.Validate(nameof(options));
        return options;
    }

    /// <summary>Wraps <paramref name="store"/> with the tables <paramref name="tables"/> makes; disposes the store if that throws.</summary>
    private static CodeIndex Around(CodeStore store, CodeIndexOptions options, bool readOnly, Func<CodeStore, MultiIndexHash> tables)
    {
        try
        {
            return new CodeIndex(store, tables(store), options, readOnly);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    private void ThrowIfNotWritable()
    {
        if (_disposed) ThrowHelper.ObjectDisposed(nameof(CodeIndex));
        if (IsReadOnly) ThrowHelper.InvalidOperation($"The index '{Path}' was opened read-only.");
    }
}
