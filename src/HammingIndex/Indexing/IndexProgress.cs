namespace HammingIndex.Indexing;

/// <summary>Which long operation of a <see cref="CodeIndex"/> a progress report is about.</summary>
public enum IndexOperation
{
    /// <summary>Building the multi-index tables (Done and Total count tables).</summary>
    BuildTables = 0,

    /// <summary>Rewriting the store without its deleted codes (Done and Total count store positions).</summary>
    Compact = 1,

    /// <summary>Checking the store file against its checksums (Done and Total count stages).</summary>
    Verify = 2,

    /// <summary>Answering a batch of queries (Done and Total count queries).</summary>
    Search = 3,
}

/// <summary>A progress report of a long <see cref="CodeIndex"/> operation: <paramref name="Done"/> of <paramref name="Total"/> units.</summary>
/// <param name="Operation">The operation reporting.</param>
/// <param name="Done">Units finished so far.</param>
/// <param name="Total">Units in all.</param>
public readonly record struct IndexProgress(IndexOperation Operation, long Done, long Total);
