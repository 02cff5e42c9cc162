namespace HammingIndex.Orleans.Client;

/// <summary>One shard that did not answer: which, and why.</summary>
/// <param name="Shard">The shard number.</param>
/// <param name="TimedOut">True when it did not answer within the shard timeout.</param>
/// <param name="Error">The failure it answered with, or null when it timed out.</param>
public sealed record ShardFailure(int Shard, bool TimedOut, Exception? Error);

/// <summary>
/// A sharded operation did not get an answer from every shard it needed, so it returns nothing:
/// a search never returns a silently smaller answer. <see cref="Shards"/> names the shards.
/// </summary>
public sealed class ShardsUnavailableException : Exception
{
    /// <summary>Creates the exception for <paramref name="operation"/> on <paramref name="index"/>.</summary>
    public ShardsUnavailableException(string index, string operation, int shardCount, TimeSpan timeout, IReadOnlyList<ShardFailure> failures)
        : base(Describe(index, operation, shardCount, timeout, failures), failures.FirstOrDefault(f => f.Error is not null)?.Error)
    {
        Index = index;
        Operation = operation;
        Failures = failures;
        Shards = failures.Select(f => f.Shard).ToArray();
    }

    /// <summary>The index name.</summary>
    public string Index { get; }

    /// <summary>What was asked ("top-k search", "add", ...).</summary>
    public string Operation { get; }

    /// <summary>The shards that did not answer, ascending.</summary>
    public IReadOnlyList<int> Shards { get; }

    /// <summary>Why each of them did not answer.</summary>
    public IReadOnlyList<ShardFailure> Failures { get; }

    private static string Describe(string index, string operation, int shardCount, TimeSpan timeout, IReadOnlyList<ShardFailure> failures)
    {
        IEnumerable<string> reasons = failures.Select(f => f.TimedOut
            ? $"shard {f.Shard} did not answer within {timeout.TotalSeconds:0.###} s"
            : $"shard {f.Shard} failed: {f.Error!.GetType().Name}: {f.Error.Message}");
        return $"The {operation} on index '{index}' got no answer from shard{(failures.Count == 1 ? "" : "s")} "
            + $"{string.Join(", ", failures.Select(f => f.Shard))} of {shardCount}; no partial answer is returned. "
            + string.Join("; ", reasons) + ".";
    }
}
