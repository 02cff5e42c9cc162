namespace HammingIndex.Storage;

/// <summary>Lookups by id: whether a live code has an id, its code, and deleting many ids at once.</summary>
public sealed partial class CodeStore
{
    /// <summary>
    /// Whether a live (not deleted) code has id <paramref name="id"/>. The first lookup by id builds
    /// the id index (reads every id once), as the first delete does; later ones are a hash lookup.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public bool Contains(long id) => FindLive(id) >= 0;

    /// <summary>
    /// Copies the code of the live code with id <paramref name="id"/> (the last appended, if several
    /// share it) into <paramref name="destination"/>; false, leaving it untouched, if none has it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than one code.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public bool TryGetCode(long id, Span<ulong> destination)
    {
        if (destination.Length < Layout.WordsPerCode)
            ThrowHelper.Argument(nameof(destination), $"Room for {destination.Length} words; a code has {Layout.WordsPerCode}.");
        lock (_writeLock)
        {
            long position = FindLiveLocked(id);
            if (position < 0) return false;
            _memory.Code(position).CopyTo(destination);
            return true;
        }
    }

    /// <summary>
    /// Deletes every live code with any of <paramref name="ids"/> (under one hold of the writer lock);
    /// returns how many codes were deleted. Ids with no live code are skipped. Durable at the next
    /// <see cref="Flush"/> in a file.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public long DeleteRange(ReadOnlySpan<long> ids)
    {
        lock (_writeLock) // re-entered by each TryDelete: one writer sees the whole batch
        {
            long deleted = 0;
            foreach (long id in ids) deleted += TryDelete(id);
            return deleted;
        }
    }

    /// <summary>The live position of <paramref name="id"/> (the last appended), or -1.</summary>
    internal long FindLive(long id)
    {
        lock (_writeLock) return FindLiveLocked(id);
    }

    private long FindLiveLocked(long id)
    {
        ThrowIfDisposed();
        _idIndex ??= new IdIndex();
        _idIndex.CatchUp(_memory, _count);
        return _idIndex.TryFindLive(id, _memory, out long position) ? position : -1;
    }
}
