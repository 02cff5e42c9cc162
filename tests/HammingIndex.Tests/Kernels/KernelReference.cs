namespace HammingIndex.Tests.Kernels;

/// <summary>Plain, obviously correct references and random inputs for the kernel properties.</summary>
internal static class KernelReference
{
    /// <summary>Lengths that hit every kernel (1, 2, 4, 8 words and the general one) and their edges.</summary>
    public static readonly int[] InterestingBits = [8, 63, 64, 65, 127, 128, 129, 192, 255, 256, 257, 320, 448, 511, 512, 513, 1000, 1024, 4096];

    /// <summary>Counts bits one at a time: no popcount instruction involved.</summary>
    public static int Distance(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        int d = 0;
        for (int w = 0; w < a.Length; w++)
            for (int bit = 0; bit < 64; bit++)
                d += (int)(((a[w] ^ b[w]) >> bit) & 1);
        return d;
    }

    public static int[] Distances(ulong[] query, ulong[] codes)
    {
        int words = query.Length;
        var result = new int[codes.Length / words];
        for (int c = 0; c < result.Length; c++) result[c] = Distance(query, codes.AsSpan(c * words, words));
        return result;
    }

    /// <summary>Filter reference for CollectWithin: (index, distance) of every code within the bound, ascending.</summary>
    public static (int[] Indices, int[] Distances) Within(int[] distances, int maxDistance)
    {
        int[] indices = Enumerable.Range(0, distances.Length).Where(i => distances[i] <= maxDistance).ToArray();
        return (indices, indices.Select(i => distances[i]).ToArray());
    }

    /// <summary>A bit length: one of <see cref="InterestingBits"/> or any length 8..4096.</summary>
    public static int PickBits(int pick, Random random) =>
        (pick & 1) == 0 ? InterestingBits[(pick >>> 1) % InterestingBits.Length] : random.Next(8, 4097);

    public static ulong[] RandomCode(int bits, Random random)
    {
        var code = new ulong[(bits + 63) / 64];
        for (int w = 0; w < code.Length; w++) code[w] = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);
        if ((bits & 63) != 0) code[^1] &= (1UL << (bits & 63)) - 1;
        return code;
    }

    /// <summary>
    /// Codes at all kinds of distances from the query: random (about bits/2 away), a few flipped bits
    /// (so low bounds find something), identical, and many flipped bits.
    /// </summary>
    public static ulong[] CodesAround(ulong[] query, int bits, int count, Random random)
    {
        int words = query.Length;
        var codes = new ulong[count * words];
        for (int c = 0; c < count; c++)
        {
            Span<ulong> code = codes.AsSpan(c * words, words);
            int kind = random.Next(4);
            if (kind == 0) { RandomCode(bits, random).CopyTo(code); continue; }
            query.CopyTo(code);
            int flips = kind switch { 1 => random.Next(0, 4), 2 => 0, _ => random.Next(0, bits + 1) };
            for (int f = 0; f < flips; f++)
            {
                int bit = random.Next(bits);
                code[bit >> 6] ^= 1UL << (bit & 63);
            }
        }
        return codes;
    }

    /// <summary>Every concrete path this CPU runs, and Auto.</summary>
    public static IEnumerable<HammingIndex.Kernels.KernelPath> PathsToTest =>
        HammingIndex.Kernels.HammingKernels.SupportedPaths.Append(HammingIndex.Kernels.KernelPath.Auto);
}
