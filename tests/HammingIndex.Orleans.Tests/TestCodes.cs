namespace HammingIndex.Orleans.Tests;

/// <summary>Random and clustered codes (zero padding), as packed ulongs.</summary>
internal static class TestCodes
{
    public static ulong[] Random(Random random, int count, int bits)
    {
        int words = (bits + 63) / 64;
        var codes = new ulong[count * words];
        for (int i = 0; i < codes.Length; i++) codes[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63);
        ClearPadding(codes, bits);
        return codes;
    }

    /// <summary>Codes near a few centres (each bit flipped with probability 1/16), so many distances tie.</summary>
    public static ulong[] Clustered(Random random, int count, int bits, int centres = 8)
    {
        int words = (bits + 63) / 64;
        ulong[] centre = Random(random, centres, bits);
        var codes = new ulong[count * words];
        for (int i = 0; i < count; i++)
        {
            int c = random.Next(centres);
            for (int w = 0; w < words; w++)
            {
                ulong flips = (ulong)random.NextInt64() & (ulong)random.NextInt64() & (ulong)random.NextInt64() & (ulong)random.NextInt64();
                codes[i * words + w] = centre[c * words + w] ^ flips;
            }
        }
        ClearPadding(codes, bits);
        return codes;
    }

    private static void ClearPadding(ulong[] codes, int bits)
    {
        int words = (bits + 63) / 64;
        if (bits % 64 == 0) return;
        ulong mask = (1UL << (bits % 64)) - 1;
        for (int i = words - 1; i < codes.Length; i += words) codes[i] &= mask;
    }
}
