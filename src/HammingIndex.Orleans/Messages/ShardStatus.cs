namespace HammingIndex.Orleans.Messages;

/// <summary>What one shard holds and where it runs.</summary>
[GenerateSerializer, Immutable, Alias("HammingIndex.ShardStatus")]
public sealed record ShardStatus
{
    /// <summary>The shard number, 0..ShardCount-1.</summary>
    [Id(0)] public required int Shard { get; init; }

    /// <summary>The shard's spec, as its files record it.</summary>
    [Id(1)] public required ShardSpec Spec { get; init; }

    /// <summary>Positions appended (deleted ones included).</summary>
    [Id(2)] public required long Count { get; init; }

    /// <summary>Codes not deleted.</summary>
    [Id(3)] public required long LiveCount { get; init; }

    /// <summary>Codes covered by the multi-index tables (the rest are a delta that is scanned).</summary>
    [Id(4)] public required long IndexedCount { get; init; }

    /// <summary>Positions durable on disk (committed by the last flush).</summary>
    [Id(5)] public required long FlushedCount { get; init; }

    /// <summary>True when this activation reopened existing files rather than creating them.</summary>
    [Id(6)] public required bool ReopenedFromDisk { get; init; }

    /// <summary>The silo that holds the shard now (Orleans' runtime identity of it).</summary>
    [Id(7)] public required string Silo { get; init; }
}
