using HammingIndex.Codes;
using HammingIndex.Storage;

namespace HammingIndex.Tests.MultiIndex;

/// <summary>Random code sets for the multi-index tests: uniform, or clustered with exact duplicates.</summary>
internal static class TestCodes
{
    public static ulong[] Uniform(Random rng, CodeLayout layout, int count)
    {
        var codes = new ulong[count * layout.WordsPerCode];
        for (int i = 0; i < codes.Length; i++) codes[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
        ClearPadding(layout, codes);
        return codes;
    }

    /// <summary>
    /// Codes near a few random centres (each bit flipped with probability <paramref name="flip"/>),
    /// about a quarter of them exact copies of an earlier code.
    /// </summary>
    public static ulong[] Clustered(Random rng, CodeLayout layout, int count, int centres, double flip)
    {
        int w = layout.WordsPerCode;
        ulong[] centre = Uniform(rng, layout, Math.Max(1, centres));
        var codes = new ulong[count * w];
        for (int i = 0; i < count; i++)
        {
            Span<ulong> code = codes.AsSpan(i * w, w);
            if (i > 0 && rng.NextDouble() < 0.25)
            {
                codes.AsSpan(rng.Next(i) * w, w).CopyTo(code);
                continue;
            }
            centre.AsSpan(rng.Next(Math.Max(1, centres)) * w, w).CopyTo(code);
            for (int bit = 0; bit < layout.Bits; bit++)
                if (rng.NextDouble() < flip) code[bit >> 6] ^= 1UL << bit;
        }
        return codes;
    }

    /// <summary>An in-memory store of <paramref name="bits"/>-bit codes holding <paramref name="codes"/>, code i with id i.</summary>
    public static CodeStore InMemoryStore(int bits, ulong[] codes)
    {
        var store = CodeStore.CreateInMemory(bits);
        int n = codes.Length / store.Layout.WordsPerCode;
        store.AppendRange(codes, Enumerable.Range(0, n).Select(i => (long)i).ToArray());
        return store;
    }

    /// <summary>A query near a stored code (or a fresh random one).</summary>
    public static ulong[] QueryNear(Random rng, CodeLayout layout, ulong[] codes, double flip)
    {
        int w = layout.WordsPerCode, n = codes.Length / w;
        if (n == 0 || rng.Next(4) == 0) return Uniform(rng, layout, 1);
        ulong[] query = codes.AsSpan(rng.Next(n) * w, w).ToArray();
        for (int bit = 0; bit < layout.Bits; bit++)
            if (rng.NextDouble() < flip) query[bit >> 6] ^= 1UL << bit;
        return query;
    }

    private static void ClearPadding(CodeLayout layout, ulong[] codes)
    {
        for (int i = layout.WordsPerCode - 1; i < codes.Length; i += layout.WordsPerCode) codes[i] &= layout.LastWordMask;
    }
}
