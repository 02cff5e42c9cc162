using HammingIndex.MultiIndex;

namespace HammingIndex.Indexing;

/// <summary>
/// Runs a batch of queries in groups so that a cancellable batch observes its token (and reports
/// progress) between groups; a batch that cannot be cancelled and reports nothing runs as one group.
/// </summary>
internal static class SearchBatches
{
    /// <summary>Queries per group: large enough that a group's shared scan pass is amortized.</summary>
    public const int QueriesPerGroup = 1024;

    /// <summary>
    /// Answers the <paramref name="queryCount"/> queries of <paramref name="queries"/> (validated by the
    /// caller, <paramref name="words"/> ulongs each) with <paramref name="group"/>, group by group.
    /// </summary>
    public static SearchResult[] Run(ReadOnlySpan<ulong> queries, int queryCount, int words, CancellationToken cancellationToken,
        IProgress<IndexProgress>? progress, Func<ReadOnlySpan<ulong>, SearchResult[]> group)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!cancellationToken.CanBeCanceled && progress is null) return group(queries); // its own array, no copy
        var answers = new SearchResult[queryCount];
        RunInto(queries, queryCount, words, answers, cancellationToken, progress, (part, into) => group(part).CopyTo(into));
        return answers;
    }

    /// <summary>A group's answers written into the caller's buffer, entry q for query q.</summary>
    public delegate void GroupInto(ReadOnlySpan<ulong> group, Span<SearchResult> answers);

    /// <summary>
    /// As <see cref="Run"/>, into <paramref name="answers"/> (at least one entry per query, checked here).
    /// </summary>
    public static void RunInto(ReadOnlySpan<ulong> queries, int queryCount, int words, Span<SearchResult> answers, CancellationToken cancellationToken,
        IProgress<IndexProgress>? progress, GroupInto group)
    {
        ThrowHelper.CheckAnswers(queryCount, answers.Length);
        cancellationToken.ThrowIfCancellationRequested();
        if (!cancellationToken.CanBeCanceled && progress is null)
        {
            group(queries, answers);
            return;
        }
        for (int first = 0; first < queryCount; first += QueriesPerGroup)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(QueriesPerGroup, queryCount - first);
            group(queries.Slice(first * words, n * words), answers.Slice(first, n));
            progress?.Report(new IndexProgress(IndexOperation.Search, first + n, queryCount));
        }
    }

    /// <summary>Answers each query of a group one after another with <paramref name="search"/>.</summary>
    public static SearchResult[] OneByOne(ReadOnlySpan<ulong> queries, int words, Func<ReadOnlySpan<ulong>, SearchResult> search)
    {
        var answers = new SearchResult[queries.Length / words];
        for (int q = 0; q < answers.Length; q++) answers[q] = search(queries.Slice(q * words, words));
        return answers;
    }
}
