using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Indexing;

/// <summary>Settings of a <see cref="CodeIndex"/>. The defaults suit most uses.</summary>
public sealed record CodeIndexOptions
{
    /// <summary>The store's block capacity and verification on open; null for the defaults.</summary>
    public CodeStoreOptions? Store { get; init; }

    /// <summary>The multi-index tables (substring count, table layout); null for the defaults. Its delta limit is not used: see <see cref="RebuildDelta"/>.</summary>
    public MultiIndexOptions? Tables { get; init; }

    /// <summary>The scan (kernel path, cores of a batch); null for the defaults.</summary>
    public ScanOptions? Scan { get; init; }

    /// <summary>
    /// Codes appended since the last table build after which an add starts a rebuild in the background
    /// (when <see cref="RebuildInBackground"/>). 0 (the default) allows max(4096, indexed / 64).
    /// </summary>
    public long RebuildDelta { get; init; }

    /// <summary>
    /// Whether adds start table rebuilds in the background (the default). When false the tables are
    /// rebuilt only by <see cref="CodeIndex.RebuildTables"/>, <see cref="CodeIndex.RebuildTablesAsync"/>
    /// and <see cref="CodeIndex.Compact"/>; until then the codes added since are scanned.
    /// </summary>
    public bool RebuildInBackground { get; init; } = true;

    internal void Validate(string paramName)
    {
        if (RebuildDelta < 0)
            ThrowHelper.ArgumentOutOfRange(paramName + ".RebuildDelta", RebuildDelta, "The rebuild delta must be 0 (automatic) or positive.");
        Scan?.Validate(paramName + ".Scan");
    }
}
