namespace HammingIndex.Indexing;

/// <summary>Table rebuilds (explicit, or on the thread pool after adds) and saving the tables beside the store.</summary>
public sealed partial class CodeIndex
{
    private readonly CancellationTokenSource _lifetime = new();
    private readonly object _rebuildsLock = new();
    private readonly List<Task> _rebuilds = [];
    private readonly object _saveLock = new();
    private object? _savedTables;
    private Exception? _backgroundError;

    /// <summary>Whether a table rebuild is running in the background now.</summary>
    public bool RebuildPending
    {
        get
        {
            lock (_rebuildsLock) return _rebuilds.Count > 0;
        }
    }

    /// <summary>
    /// The failure of the last background rebuild that failed for another reason than cancellation (for
    /// instance an <see cref="IOException"/> saving the tables), or null. Nothing is lost by one: searches
    /// keep the tables they had and scan the rest; the next rebuild tries again.
    /// </summary>
    public Exception? BackgroundError => Volatile.Read(ref _backgroundError);

    /// <summary>
    /// Rebuilds the tables over every code now in the index on the calling thread, publishes them and saves
    /// them beside the file. Searches meanwhile use the previous tables and scan the delta.
    /// </summary>
    /// <exception cref="InvalidOperationException">The index is read-only.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the previous tables stay).</exception>
    public void RebuildTables(CancellationToken cancellationToken = default, IProgress<IndexProgress>? progress = null)
    {
        ThrowIfNotWritable();
        RebuildCore(cancellationToken, progress);
    }

    /// <summary>
    /// Starts <see cref="RebuildTables"/> on the thread pool and returns at once; the task ends when the new
    /// tables are published and saved. Searches never wait for it. Disposing the index cancels it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The index is read-only.</exception>
    public Task RebuildTablesAsync(CancellationToken cancellationToken = default, IProgress<IndexProgress>? progress = null)
    {
        ThrowIfNotWritable();
        return StartRebuild(cancellationToken, progress);
    }

    private void RebuildCore(CancellationToken cancellationToken, IProgress<IndexProgress>? progress)
    {
        _tables.Rebuild(cancellationToken, progress);
        SaveTables();
    }

    /// <summary>Called under the writer lock after an add: starts a background rebuild once the delta passes the limit.</summary>
    private void MaybeRebuildInBackground()
    {
        if (!_options.RebuildInBackground || RebuildPending) return;
        long limit = _options.RebuildDelta > 0 ? _options.RebuildDelta : Math.Max(4096, IndexedCount / 64);
        if (DeltaCount > limit) _ = StartRebuild(CancellationToken.None, null);
    }

    private Task StartRebuild(CancellationToken cancellationToken, IProgress<IndexProgress>? progress)
    {
        CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        Task task;
        lock (_rebuildsLock)
        {
            task = Task.Run(() => RebuildCore(linked.Token, progress), linked.Token);
            _rebuilds.Add(task);
        }
        _ = task.ContinueWith(done =>
        {
            if (done.Exception?.InnerException is Exception error and not OperationCanceledException) Volatile.Write(ref _backgroundError, error);
            lock (_rebuildsLock) _rebuilds.Remove(done);
            linked.Dispose();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    /// <summary>Cancels the background rebuilds and waits for them to end (their failures are theirs to report).</summary>
    private void StopBackgroundRebuilds()
    {
        _lifetime.Cancel();
        Task[] running;
        lock (_rebuildsLock) running = [.. _rebuilds];
        try
        {
            Task.WaitAll(running);
        }
        catch (AggregateException)
        {
            // Cancelled (or failed) rebuilds leave the previous tables: nothing is lost.
        }
    }

    /// <summary>Saves the current tables beside a file-backed store unless they are already saved or belong to an older store generation.</summary>
    private void SaveTables()
    {
        if (Path is not string path || IsReadOnly) return;
        lock (_saveLock)
        {
            object tables = _tables.Tables;
            if (ReferenceEquals(tables, _savedTables) || !_tables.TablesMatchStore) return;
            _tables.Save(TablesPath(path));
            _savedTables = tables;
        }
    }
}
