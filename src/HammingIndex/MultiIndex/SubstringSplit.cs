using System.Runtime.CompilerServices;
using HammingIndex.Codes;

namespace HammingIndex.MultiIndex;

/// <summary>
/// How a b-bit code is cut into m disjoint, contiguous substrings whose lengths differ by at most
/// one (the first b mod m substrings are one bit longer). Substring j covers bits
/// Start(j) .. Start(j) + Length(j) - 1 of the code; every substring fits one ulong.
/// </summary>
internal sealed class SubstringSplit
{
    private readonly int[] _starts;
    private readonly int[] _lengths;

    public SubstringSplit(int bits, int count)
    {
        var layout = new CodeLayout(bits);
        int min = MinCount(bits);
        if (count < min || count > bits)
            ThrowHelper.ArgumentOutOfRange(nameof(count), count,
                $"The substring count for {bits}-bit codes must be between {min} (substrings of at most 64 bits) and {bits}.");
        Layout = layout;
        Count = count;
        _starts = new int[count];
        _lengths = new int[count];
        int q = bits / count, rem = bits % count, start = 0;
        for (int j = 0; j < count; j++)
        {
            _starts[j] = start;
            _lengths[j] = q + (j < rem ? 1 : 0);
            start += _lengths[j];
        }
    }

    public CodeLayout Layout { get; }

    public int Bits => Layout.Bits;

    /// <summary>m, the number of substrings (and tables).</summary>
    public int Count { get; }

    public ReadOnlySpan<int> Lengths => _lengths;

    public int Length(int j) => _lengths[j];

    public int Start(int j) => _starts[j];

    public int MaxLength => _lengths[0];

    public int MinLength => _lengths[^1];

    /// <summary>The fewest substrings for <paramref name="bits"/>-bit codes: each must fit a ulong.</summary>
    public static int MinCount(int bits) => (bits + 63) / 64;

    /// <summary>
    /// The paper's choice m ~ b / log2(n). Up to <see cref="RoundedUpMaxCount"/> codes it is rounded up,
    /// so each substring has at most log2(n) bits (about one code per bucket or more, so a
    /// direct-addressed table stays within ~n slots). Past that, substrings of about log2(n) bits are
    /// longer than a direct table may be (<see cref="TableShape.MaxDirectoryBits"/>) and take the
    /// two-level layout, whose size follows the entries, not the key space; there it is rounded to the
    /// nearest, as the paper does (m = 2 for 10^9 64-bit codes): one table fewer saves n entries
    /// (10.1 against 12.0 B/code of positions-only tables at 10^9 64-bit codes) and the longer
    /// substrings cost probes of near-empty buckets, not candidates.
    /// </summary>
    public static int ChooseCount(int bits, long codeCount)
    {
        double ideal = bits / Math.Log2(Math.Max(codeCount, 2));
        int m = codeCount <= RoundedUpMaxCount ? (int)Math.Ceiling(ideal - 1e-9) : (int)Math.Round(ideal, MidpointRounding.AwayFromZero);
        return Math.Clamp(m, MinCount(bits), bits);
    }

    /// <summary>The largest store for which <see cref="ChooseCount"/> rounds up: 2^27 codes.</summary>
    public const long RoundedUpMaxCount = 1L << 27;

    /// <summary>The value of substring <paramref name="j"/> of <paramref name="code"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Extract(ReadOnlySpan<ulong> code, int j)
    {
        int start = _starts[j], length = _lengths[j];
        int word = start >> 6, shift = start & 63;
        ulong value = code[word] >> shift;
        if (shift + length > 64) value |= code[word + 1] << (64 - shift);
        return length == 64 ? value : value & ((1UL << length) - 1);
    }

    /// <summary>Writes every substring value of <paramref name="code"/> into <paramref name="values"/>.</summary>
    public void ExtractAll(ReadOnlySpan<ulong> code, Span<ulong> values)
    {
        for (int j = 0; j < Count; j++) values[j] = Extract(code, j);
    }
}
