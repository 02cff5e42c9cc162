using HammingIndex.Codes;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Codes for benchmarks: uniform random, or clustered (centres with each bit flipped with a small probability, as learned codes are).</summary>
internal static class SyntheticCodes
{
    public static ulong[] Uniform(CodeLayout layout, int count, Random rng)
    {
        var codes = new ulong[(long)count * layout.WordsPerCode];
        for (long i = 0; i < codes.LongLength; i++) codes[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
        MaskPadding(layout, codes);
        return codes;
    }

    /// <summary><paramref name="count"/> codes around <paramref name="centres"/> random centres, each bit flipped with probability <paramref name="flip"/>.</summary>
    public static ulong[] Clustered(CodeLayout layout, int count, int centres, double flip, Random rng)
    {
        int words = layout.WordsPerCode;
        ulong[] centre = Uniform(layout, centres, rng);
        var codes = new ulong[(long)count * words];
        for (int i = 0; i < count; i++)
        {
            int c = rng.Next(centres);
            for (int w = 0; w < words; w++)
            {
                ulong noise = 0;
                for (int b = 0; b < 64; b++)
                    if (rng.NextDouble() < flip) noise |= 1UL << b;
                codes[(long)i * words + w] = centre[c * words + w] ^ noise;
            }
        }
        MaskPadding(layout, codes);
        return codes;
    }

    private static void MaskPadding(CodeLayout layout, ulong[] codes)
    {
        int words = layout.WordsPerCode;
        for (long i = words - 1; i < codes.LongLength; i += words) codes[i] &= layout.LastWordMask;
    }
}
