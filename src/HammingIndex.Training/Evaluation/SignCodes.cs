using HammingIndex.Codes;

namespace HammingIndex.Training.Evaluation;

/// <summary>
/// Packs real-valued projections into binary codes: bit i is set when projection i is &gt;= 0
/// (sign with 0 -> +1, +1 -> bit 1), packed little-endian as in <see cref="CodeLayout"/>.
/// </summary>
internal static class SignCodes
{
    public static void Pack(ReadOnlySpan<double> projections, Span<ulong> code)
    {
        code.Clear();
        for (int i = 0; i < projections.Length; i++)
            if (projections[i] >= 0) code[i >> 6] |= 1UL << (i & 63);
    }
}
