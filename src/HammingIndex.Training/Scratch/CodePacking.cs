using HammingIndex.Codes;

namespace HammingIndex.Training.Scratch;

/// <summary>
/// Packs sign vectors into the engine's code format (<see cref="CodeLayout"/>): bit q of a code is
/// bit (q % 64) of word (q / 64); a sign of +1 (a projection &gt;= 0, so 0 counts as +1) is a 1 bit,
/// -1 is a 0 bit; padding bits past the code length stay 0.
/// </summary>
internal static class CodePacking
{
    /// <summary>Packs <paramref name="count"/> rows of <paramref name="bits"/> projections (row-major) by their signs.</summary>
    public static void PackSigns(ReadOnlySpan<double> projections, int count, int bits, CodeLayout layout, Span<ulong> destination)
    {
        int words = layout.WordsPerCode;
        destination.Slice(0, count * words).Clear();
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<double> row = projections.Slice(i * bits, bits);
            Span<ulong> code = destination.Slice(i * words, words);
            for (int q = 0; q < bits; q++)
                if (row[q] >= 0) code[q >> 6] |= 1UL << (q & 63);
        }
    }

    /// <summary>Packs <paramref name="count"/> rows of ±1 signs (row-major).</summary>
    public static void PackSigns(ReadOnlySpan<sbyte> signs, int count, int bits, CodeLayout layout, Span<ulong> destination)
    {
        int words = layout.WordsPerCode;
        destination.Slice(0, count * words).Clear();
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<sbyte> row = signs.Slice(i * bits, bits);
            Span<ulong> code = destination.Slice(i * words, words);
            for (int q = 0; q < bits; q++)
                if (row[q] > 0) code[q >> 6] |= 1UL << (q & 63);
        }
    }

    /// <summary>The ±1 signs of <paramref name="count"/> packed codes of <paramref name="bits"/> bits (row-major).</summary>
    public static sbyte[] UnpackSigns(ReadOnlySpan<ulong> codes, int count, int bits, CodeLayout layout)
    {
        int words = layout.WordsPerCode;
        var signs = new sbyte[(long)count * bits];
        for (int i = 0; i < count; i++)
            for (int q = 0; q < bits; q++)
                signs[(long)i * bits + q] = ((codes[i * words + (q >> 6)] >> (q & 63)) & 1) == 1 ? (sbyte)1 : (sbyte)-1;
        return signs;
    }
}
