namespace HammingIndex.Training.Evaluation;

/// <summary>The per-query ranking figures shared by the Hamming and the real-valued evaluations.</summary>
internal static class RankingScores
{
    /// <summary>
    /// Walks a ranking (<paramref name="order"/> = database indices, best first) and returns the
    /// average precision over the whole ranking and over the first <paramref name="cutoff"/> items
    /// (definitions in <see cref="RetrievalMetrics"/>); adds the number of relevant items among the
    /// first N to <c>hitsAtN[N - 1]</c> for every N the span covers.
    /// </summary>
    public static (double Ap, double ApAtR) Score(ReadOnlySpan<int> order, ReadOnlySpan<bool> relevant, int totalRelevant,
        int cutoff, Span<long> hitsAtN)
    {
        double apSum = 0, apAtRSum = 0;
        int hits = 0, hitsAtR = 0;
        for (int k = 0; k < order.Length; k++)
        {
            if (relevant[order[k]])
            {
                hits++;
                apSum += (double)hits / (k + 1);
            }
            if (k < hitsAtN.Length) hitsAtN[k] += hits;
            if (k + 1 == cutoff)
            {
                apAtRSum = apSum;
                hitsAtR = hits;
            }
        }
        return (totalRelevant == 0 ? 0 : apSum / totalRelevant, hitsAtR == 0 ? 0 : apAtRSum / hitsAtR);
    }
}
