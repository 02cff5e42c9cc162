using HammingIndex.MultiIndex;
using HammingIndex.Orleans.Messages;
using HammingIndex.Search;

namespace HammingIndex.Orleans.Client;

/// <summary>
/// Merges the shards' answers into the one-node answer. Each shard's list is sorted by (distance, id)
/// and holds that shard's k best (or everything within the radius); the union of the lists sorted the
/// same way, cut to k, is therefore exactly the k best of all codes, and the union of the radius lists
/// is every code within the radius.
/// </summary>
internal static class AnswerMerge
{
    /// <param name="answers">One packed answer per shard, all for the same queries.</param>
    /// <param name="queryCount">Number of queries.</param>
    /// <param name="limit">k for top-k; int.MaxValue for radius search.</param>
    public static SearchResult[] Merge(PackedAnswers[] answers, int queryCount, int limit)
    {
        var results = new SearchResult[queryCount];
        var merged = new List<Neighbor>();
        for (int q = 0; q < queryCount; q++)
        {
            merged.Clear();
            long candidates = 0;
            SearchPath path = SearchPath.MultiIndex;
            foreach (PackedAnswers answer in answers)
            {
                for (int i = answer.Offsets[q]; i < answer.Offsets[q + 1]; i++) merged.Add(new Neighbor(answer.Ids[i], answer.Distances[i]));
                candidates += answer.Candidates[q];
                if ((SearchPath)answer.Paths[q] == SearchPath.Scan) path = SearchPath.Scan;
            }
            merged.Sort();
            int take = Math.Min(limit, merged.Count);
            results[q] = new SearchResult(merged.GetRange(0, take).ToArray(), path, candidates);
        }
        return results;
    }
}
