using System.Numerics;
using System.Runtime.CompilerServices;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Enumerates the s-bit masks with exactly t bits set in increasing order (Gosper's hack), and
/// counts them (binomial coefficients, as doubles so that large counts saturate gracefully).
/// </summary>
internal static class BitCombinations
{
    private static readonly double[,] s_binomial = BuildBinomials();

    /// <summary>The smallest mask with <paramref name="t"/> bits set.</summary>
    public static ulong First(int t) => t == 0 ? 0 : t == 64 ? ulong.MaxValue : (1UL << t) - 1;

    /// <summary>The largest <paramref name="s"/>-bit mask with <paramref name="t"/> bits set.</summary>
    public static ulong Last(int s, int t) => t == 0 ? 0 : First(t) << (s - t);

    /// <summary>The next larger mask with as many bits set; <paramref name="x"/> must not be the last.</summary>
    public static ulong Next(ulong x)
    {
        ulong lowest = x & (0 - x);
        ulong ripple = x + lowest;
        return (((ripple ^ x) >> 2) >> BitOperations.TrailingZeroCount(lowest)) | ripple;
    }

    /// <summary>
    /// The <paramref name="s"/>-bit masks with exactly <paramref name="t"/> bits set, in increasing order
    /// (<c>foreach</c>; <paramref name="t"/> at most <paramref name="s"/>): a ring's keys are the query's
    /// substring xor each.
    /// </summary>
    public static Masks WithBits(int s, int t) => new(First(t), Last(s, t));

    /// <summary>The enumerator of <see cref="WithBits"/>.</summary>
    public ref struct Masks(ulong first, ulong last)
    {
        private ulong _mask = first;
        private readonly ulong _last = last;
        private bool _started;

        public readonly ulong Current => _mask;

        public readonly Masks GetEnumerator() => this;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool MoveNext()
        {
            if (!_started) return _started = true;
            if (_mask == _last) return false;
            _mask = Next(_mask);
            return true;
        }
    }

    /// <summary>C(s, t): the number of s-bit masks with t bits set (0 outside 0..s).</summary>
    public static double Count(int s, int t) => (uint)t > (uint)s ? 0 : s_binomial[s, t];

    /// <summary>The number of s-bit masks with at most t bits set.</summary>
    public static double CountUpTo(int s, int t)
    {
        double total = 0;
        for (int i = 0; i <= Math.Min(s, t); i++) total += s_binomial[s, i];
        return total;
    }

    private static double[,] BuildBinomials()
    {
        var c = new double[65, 65];
        for (int s = 0; s <= 64; s++)
        {
            c[s, 0] = 1;
            for (int t = 1; t <= s; t++) c[s, t] = c[s - 1, t - 1] + (t <= s - 1 ? c[s - 1, t] : 0);
        }
        return c;
    }
}
