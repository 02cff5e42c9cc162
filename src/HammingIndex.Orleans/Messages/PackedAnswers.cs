using HammingIndex.MultiIndex;
using HammingIndex.Search;

namespace HammingIndex.Orleans.Messages;

/// <summary>
/// The answers of one shard to a batch of queries, packed in flat arrays: the neighbours of query
/// q are entries <c>Offsets[q]..Offsets[q+1]-1</c> of <see cref="Ids"/> and <see cref="Distances"/>,
/// sorted by distance, then id (as every engine search returns them).
/// </summary>
[GenerateSerializer, Immutable, Alias("HammingIndex.PackedAnswers")]
public sealed class PackedAnswers
{
    /// <summary>Creates packed answers (the arrays are taken, not copied).</summary>
    public PackedAnswers(int[] offsets, long[] ids, int[] distances, byte[] paths, long[] candidates)
    {
        Offsets = offsets;
        Ids = ids;
        Distances = distances;
        Paths = paths;
        Candidates = candidates;
    }

    /// <summary>Start of each query's neighbours, plus the total at the end (query count + 1 entries).</summary>
    [Id(0)] public int[] Offsets { get; }

    /// <summary>Neighbour ids, query after query.</summary>
    [Id(1)] public long[] Ids { get; }

    /// <summary>Neighbour distances, beside <see cref="Ids"/>.</summary>
    [Id(2)] public int[] Distances { get; }

    /// <summary>Which path (<see cref="SearchPath"/>) answered each query on this shard.</summary>
    [Id(3)] public byte[] Paths { get; }

    /// <summary>Codes verified for each query on this shard.</summary>
    [Id(4)] public long[] Candidates { get; }

    /// <summary>Number of queries answered.</summary>
    public int QueryCount => Offsets.Length - 1;

    /// <summary>Packs the engine's answers, one per query.</summary>
    public static PackedAnswers Pack(ReadOnlySpan<SearchResult> results)
    {
        var offsets = new int[results.Length + 1];
        for (int q = 0; q < results.Length; q++) offsets[q + 1] = offsets[q] + results[q].Neighbors.Length;
        var ids = new long[offsets[^1]];
        var distances = new int[ids.Length];
        var paths = new byte[results.Length];
        var candidates = new long[results.Length];
        for (int q = 0; q < results.Length; q++)
        {
            Neighbor[] neighbors = results[q].Neighbors;
            for (int i = 0; i < neighbors.Length; i++)
            {
                ids[offsets[q] + i] = neighbors[i].Id;
                distances[offsets[q] + i] = neighbors[i].Distance;
            }
            paths[q] = (byte)results[q].Path;
            candidates[q] = results[q].CandidatesVerified;
        }
        return new PackedAnswers(offsets, ids, distances, paths, candidates);
    }

    /// <summary>
    /// Checks the arrays agree with each other and with <paramref name="queryCount"/> (a shard's
    /// answer is not trusted blindly: a wrong shape would otherwise read past an array or misattribute results).
    /// </summary>
    /// <exception cref="InvalidDataException">The shape does not match.</exception>
    public void CheckShape(int queryCount, int shard)
    {
        // The deserializer may leave a field null whatever the declaration says.
        int[]? offsets = Offsets;
        bool ok = offsets?.Length == queryCount + 1 && Paths?.Length == queryCount && Candidates?.Length == queryCount
            && Ids is not null && Ids.Length == Distances?.Length && offsets[0] == 0 && offsets[^1] == Ids.Length;
        for (int q = 0; ok && q < queryCount; q++) ok = offsets![q] <= offsets[q + 1];
        if (!ok)
            throw new InvalidDataException($"Shard {shard} answered {queryCount} queries with a malformed result (offsets, ids, distances, paths or candidates of the wrong length).");
    }
}
