using HammingIndex.MultiIndex;
using HammingIndex.Storage;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>
/// A store file a command creates: made under <c>&lt;target&gt;.tmp</c>, filled, and renamed over the
/// target only by <see cref="Commit"/> (with the tables built beside it, when there are any), so a
/// failing command leaves no store, and an overwritten one stays whole until the new one is complete.
/// Disposed uncommitted, the temporary store is removed.
/// </summary>
internal sealed class PendingStore : IDisposable
{
    private readonly string _temporary;
    private bool _done;

    private PendingStore(string target, int bits)
    {
        Target = Path.GetFullPath(target);
        _temporary = AtomicFile.TemporaryPathFor(Target);
        AtomicFile.TryDelete(_temporary); // left by an interrupted command
        Store = CodeStore.Create(_temporary, bits);
    }

    /// <summary>The store file that appears on commit.</summary>
    public string Target { get; }

    /// <summary>The store being filled (under the temporary name).</summary>
    public CodeStore Store { get; }

    /// <summary>Starts a store of <paramref name="bits"/>-bit codes for <paramref name="target"/> (checked with <see cref="OutputPaths.Check"/> by the caller).</summary>
    public static PendingStore Create(string target, int bits) => new(target, bits);

    /// <summary>Where tables built over the pending store go until <see cref="Commit"/> renames them beside the target.</summary>
    public string TemporaryTablesPath => _temporary + MultiIndexHash.FileExtension;

    /// <summary>
    /// Flushes the store, closes it, and renames it into place, with the tables built at
    /// <see cref="TemporaryTablesPath"/> when <paramref name="withTables"/> (they bind to the store's
    /// content, not its name); tables of a store this one replaces are removed (they describe other codes).
    /// </summary>
    public void Commit(bool withTables = false)
    {
        Store.Flush();
        string tables = Target + MultiIndexHash.FileExtension;
        string temporaryTables = TemporaryTablesPath;
        try
        {
            Store.Dispose();
            File.Move(_temporary, Target, overwrite: true);
            _done = true;
        }
        catch
        {
            AtomicFile.TryDelete(temporaryTables);
            throw;
        }
        if (withTables) File.Move(temporaryTables, tables, overwrite: true);
        else AtomicFile.TryDelete(tables);
        DirectorySync.Flush(Target);
    }

    /// <summary>Abandons an uncommitted store: closes and removes it.</summary>
    public void Dispose()
    {
        if (_done) return;
        _done = true;
        Store.Dispose();
        AtomicFile.TryDelete(_temporary);
        AtomicFile.TryDelete(TemporaryTablesPath);
    }
}
