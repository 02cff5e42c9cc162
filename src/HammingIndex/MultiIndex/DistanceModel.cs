namespace HammingIndex.MultiIndex;

/// <summary>
/// How many codes lie within each distance of a query, estimated from counted rings alone (no bucket
/// entry read): table j's rings 0..T-1 give the share of codes whose substring j lies at each distance
/// t &lt; T from the query's; the rest of the codes are spread over the keys beyond in proportion to
/// their number (what uniform codes give). Substrings are taken as independent, so the distribution of
/// the whole distance is the convolution of the tables' distributions.
/// </summary>
/// <remarks>
/// In expectation this is exact for uniform codes. On clustered codes a query's near neighbours are
/// close in every substring at once, which independence does not see, so the model puts them too far:
/// its k-th distance is then too large and the cost of probing up to it too high. The front door
/// therefore trusts it in one direction only (commit to the tables when even this cost fits the scan's)
/// and otherwise only beside evidence from the codes read (<see cref="NearestProbe"/>).
/// </remarks>
internal static class DistanceModel
{
    /// <summary>
    /// Fills <paramref name="shares"/> (length s + 1) with the share of codes at each substring distance
    /// 0..s: <paramref name="entries"/>[t] / <paramref name="codes"/> for the counted rings t, the remaining
    /// share spread over t beyond in proportion to C(s, t).
    /// </summary>
    public static void Shares(int s, ReadOnlySpan<double> entries, double codes, Span<double> shares)
    {
        double counted = 0;
        int levels = Math.Min(entries.Length, s + 1);
        for (int t = 0; t < levels; t++)
        {
            shares[t] = codes > 0 ? Math.Max(0, entries[t]) / codes : 0;
            counted += shares[t];
        }
        if (counted > 1)
        {
            for (int t = 0; t < levels; t++) shares[t] /= counted; // sampled counts can overshoot
            counted = 1;
        }
        double keysBeyond = 0;
        for (int t = levels; t <= s; t++) keysBeyond += BitCombinations.Count(s, t);
        for (int t = levels; t <= s; t++) shares[t] = keysBeyond > 0 ? (1 - counted) * BitCombinations.Count(s, t) / keysBeyond : 0;
    }

    /// <summary>
    /// Writes into <paramref name="within"/>[r] (r = 0..within.Length - 1) the expected number of the
    /// <paramref name="codes"/> codes at distance at most r, the substring distances independent.
    /// </summary>
    /// <param name="shares">Table j's shares (<see cref="Shares"/>) at [j * stride, j * stride + lengths[j]].</param>
    /// <param name="stride">Row stride of <paramref name="shares"/>.</param>
    /// <param name="lengths">Substring lengths s_j.</param>
    /// <param name="codes">The number of codes.</param>
    /// <param name="within">The result; its length is the largest distance + 1 wanted.</param>
    /// <param name="work">Scratch of at least within.Length.</param>
    public static void Within(ReadOnlySpan<double> shares, int stride, ReadOnlySpan<int> lengths, double codes, Span<double> within, Span<double> work)
    {
        int size = within.Length;
        Span<double> acc = within, next = work[..size];
        acc.Clear();
        acc[0] = 1;
        for (int j = 0; j < lengths.Length; j++)
        {
            ReadOnlySpan<double> f = shares.Slice(j * stride, lengths[j] + 1);
            for (int r = 0; r < size; r++)
            {
                double sum = 0;
                int top = Math.Min(r, f.Length - 1);
                for (int t = 0; t <= top; t++) sum += acc[r - t] * f[t];
                next[r] = sum;
            }
            Span<double> swap = acc;
            acc = next;
            next = swap;
        }
        double cumulative = 0;
        for (int r = 0; r < size; r++)
        {
            cumulative += acc[r];
            acc[r] = codes * cumulative;
        }
        if (acc != within) acc.CopyTo(within);
    }
}
