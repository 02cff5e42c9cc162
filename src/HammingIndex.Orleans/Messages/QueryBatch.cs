namespace HammingIndex.Orleans.Messages;

/// <summary>Query codes on the wire, packed one after another in the engine's layout (one message per shard per batch).</summary>
[GenerateSerializer, Immutable, Alias("HammingIndex.QueryBatch")]
public sealed class QueryBatch
{
    /// <summary>Creates a batch (the array is taken, not copied).</summary>
    public QueryBatch(ulong[] words) => Words = words;

    /// <summary>The query codes, packed.</summary>
    [Id(0)] public ulong[] Words { get; }
}
