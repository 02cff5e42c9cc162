namespace HammingIndex.Indexing;

/// <summary>Adds, deletes, id lookups, flush and compaction.</summary>
public sealed partial class CodeIndex
{
    /// <summary>Adds one code with its id (in a file: durable at the next <see cref="Flush"/>).</summary>
    /// <exception cref="ArgumentException">The code is not one code of this layout (length or padding), or a live code already has <paramref name="id"/>.</exception>
    /// <exception cref="InvalidOperationException">The index is read-only.</exception>
    public void Add(ReadOnlySpan<ulong> code, long id)
    {
        _store.Layout.ValidateCode(code);
        lock (_writeLock)
        {
            ThrowIfNotWritable();
            if (_store.Contains(id)) ThrowDuplicate(nameof(id), id, "a live code already has it");
            _store.Append(code, id);
            MaybeRebuildInBackground();
        }
    }

    /// <summary>
    /// Adds codes (consecutive, <see cref="WordsPerCode"/> ulongs each) with one id per code, all or none
    /// (in a file: durable at the next <see cref="Flush"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A code has the wrong length or padding, the id count differs from the code count,
    /// an id repeats within <paramref name="ids"/>, or a live code already has one of them.</exception>
    /// <exception cref="InvalidOperationException">The index is read-only.</exception>
    public void AddRange(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> ids)
    {
        int n = _store.Layout.ValidateCodes(codes);
        if (ids.Length != n)
            ThrowHelper.Argument(nameof(ids), $"{ids.Length} ids were given for {n} codes.");
        lock (_writeLock)
        {
            ThrowIfNotWritable();
            var seen = new HashSet<long>(n);
            for (int i = 0; i < n; i++)
            {
                if (!seen.Add(ids[i])) ThrowDuplicate(nameof(ids), ids[i], $"it repeats at index {i}");
                if (_store.Contains(ids[i])) ThrowDuplicate(nameof(ids), ids[i], $"a live code already has it (index {i})");
            }
            _store.AppendRange(codes, ids);
            MaybeRebuildInBackground();
        }
    }

    /// <summary>Deletes the code with id <paramref name="id"/>; false if no live code has it. In a file: durable at the next <see cref="Flush"/>.</summary>
    /// <exception cref="InvalidOperationException">The index is read-only.</exception>
    public bool Delete(long id)
    {
        lock (_writeLock)
        {
            ThrowIfNotWritable();
            return _store.TryDelete(id) > 0;
        }
    }

    /// <summary>Deletes the codes with any of <paramref name="ids"/> (ids with no live code are skipped); returns how many were deleted.</summary>
    /// <exception cref="InvalidOperationException">The index is read-only.</exception>
    public long DeleteRange(ReadOnlySpan<long> ids)
    {
        lock (_writeLock)
        {
            ThrowIfNotWritable();
            return _store.DeleteRange(ids);
        }
    }

    /// <summary>Whether a live code has id <paramref name="id"/> (the first lookup reads every id once to index them).</summary>
    /// <exception cref="ObjectDisposedException">The index is disposed.</exception>
    public bool Contains(long id) => _store.Contains(id);

    /// <summary>Copies the code of id <paramref name="id"/> into <paramref name="destination"/>; false if no live code has that id.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="WordsPerCode"/>.</exception>
    /// <exception cref="ObjectDisposedException">The index is disposed.</exception>
    public bool TryGetCode(long id, Span<ulong> destination) => _store.TryGetCode(id, destination);

    /// <summary>The code of id <paramref name="id"/>.</summary>
    /// <exception cref="KeyNotFoundException">No live code has that id.</exception>
    /// <exception cref="ObjectDisposedException">The index is disposed.</exception>
    public ulong[] GetCode(long id)
    {
        var code = new ulong[WordsPerCode];
        if (!TryGetCode(id, code)) throw new KeyNotFoundException($"No live code has id {id}.");
        return code;
    }

    /// <summary>
    /// Makes every add and delete so far durable (a no-op for the store in memory), and saves the tables
    /// beside the file if they changed since they were last saved.
    /// </summary>
    /// <exception cref="InvalidOperationException">The index is read-only.</exception>
    /// <exception cref="IOException">Writing or syncing failed (the previous commit stays intact).</exception>
    public void Flush()
    {
        lock (_writeLock)
        {
            ThrowIfNotWritable();
            _store.Flush();
            SaveTables();
        }
    }

    /// <summary>
    /// Rewrites the store without its deleted codes (durable when this returns), then rebuilds and saves
    /// the tables. Searches meanwhile see the old codes, then the compacted ones through the scan until
    /// the new tables are published.
    /// </summary>
    /// <param name="cancellationToken">Stops the store rewrite (leaving the store as it was) or the table build
    /// (leaving the compacted store searched by the scan until the next rebuild).</param>
    /// <param name="progress">Hears <see cref="IndexOperation.Compact"/> (positions copied) and then <see cref="IndexOperation.BuildTables"/>.</param>
    /// <exception cref="InvalidOperationException">The index is read-only.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public void Compact(CancellationToken cancellationToken = default, IProgress<IndexProgress>? progress = null)
    {
        lock (_writeLock)
        {
            ThrowIfNotWritable();
            IProgress<(long Done, long Total)>? copied = progress is null
                ? null
                : new InlineProgress<(long Done, long Total)>(p => progress.Report(new IndexProgress(IndexOperation.Compact, p.Done, p.Total)));
            _store.Compact(cancellationToken, copied);
            RebuildCore(cancellationToken, progress);
        }
    }

    /// <summary>
    /// Checks the store file against its checksums (reads the whole file); returns how many codes were
    /// checked (0 in memory). The token is observed before each block of codes is checked, and
    /// <paramref name="progress"/> hears <see cref="IndexOperation.Verify"/> (blocks checked of all) as it goes.
    /// </summary>
    /// <exception cref="InvalidFileException">A block or the tombstone log does not match its checksum.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public long Verify(CancellationToken cancellationToken = default, IProgress<IndexProgress>? progress = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        bool reported = false;
        IProgress<(long Done, long Total)>? blocks = progress is null
            ? null
            : new InlineProgress<(long Done, long Total)>(p =>
            {
                reported = true;
                progress.Report(new IndexProgress(IndexOperation.Verify, p.Done, p.Total));
            });
        long checkedCodes = _store.Verify(cancellationToken, blocks);
        if (!reported) progress?.Report(new IndexProgress(IndexOperation.Verify, 1, 1)); // nothing to check (in memory, or empty)
        return checkedCodes;
    }

    private static void ThrowDuplicate(string paramName, long id, string why) =>
        ThrowHelper.Argument(paramName, $"Id {id} cannot be added: {why}. Ids are unique among live codes; delete the old code first.");

    /// <summary>Reports on the calling thread (<see cref="Progress{T}"/> would post to a synchronization context).</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
