using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HammingIndex.Codes;
using HammingIndex.MultiIndex;

namespace HammingIndex.Tests.MultiIndex;

/// <summary>The substring split and the mask enumeration against bit-by-bit references.</summary>
public class SubstringAndMaskTests
{
    [Property(MaxTest = 200)]
    public Property SubstringsAreTheCodesBitsInOrder() => Prop.ForAll(
        Arb.From(from bits in Gen.Choose(8, 300)
                 from m in Gen.Choose(SubstringSplit.MinCount(bits), bits)
                 from seed in Gen.Choose(0, int.MaxValue)
                 select (bits, m, seed)),
        t =>
        {
            var split = new SubstringSplit(t.bits, t.m);
            var layout = new CodeLayout(t.bits);
            ulong[] code = TestCodes.Uniform(new Random(t.seed), layout, 1);
            int bit = 0;
            for (int j = 0; j < t.m; j++)
            {
                Assert.InRange(split.Length(j), t.bits / t.m, t.bits / t.m + 1);
                ulong value = split.Extract(code, j);
                for (int i = 0; i < split.Length(j); i++, bit++)
                    Assert.Equal((code[bit >> 6] >> (bit & 63)) & 1, (value >> i) & 1);
                if (split.Length(j) < 64) Assert.Equal(0UL, value >> split.Length(j));
            }
            Assert.Equal(t.bits, bit);
        });

    [Property(MaxTest = 200)]
    public Property GosperWalksEveryMaskWithTBitsOnceInOrder() => Prop.ForAll(
        Arb.From(from s in Gen.Choose(1, 64)
                 from t in Gen.Choose(0, Math.Min(s, s > 20 ? 3 : s))
                 select (s, t)),
        c =>
        {
            var masks = new List<ulong>();
            foreach (ulong mask in BitCombinations.WithBits(c.s, c.t)) masks.Add(mask);
            Assert.Equal(BitCombinations.Count(c.s, c.t), masks.Count);
            Assert.All(masks, x => Assert.Equal(c.t, BitOperations.PopCount(x)));
            Assert.All(masks, x => Assert.True(c.s == 64 || x >> c.s == 0));
            for (int i = 1; i < masks.Count; i++) Assert.True(masks[i] > masks[i - 1]);
        });

    [Property(MaxTest = 300)]
    public Property AutomaticSubstringCountFollowsLog2N() => Prop.ForAll(
        Arb.From(from bits in Gen.Choose(8, 4096)
                 from log in Gen.Choose(0, 40)
                 select (bits, n: 1L << log)),
        c =>
        {
            int m = SubstringSplit.ChooseCount(c.bits, c.n);
            double log2 = Math.Max(1, Math.Log2(c.n));
            int longest = new SubstringSplit(c.bits, m).MaxLength;
            Assert.True(longest <= 64);
            Assert.InRange(m, SubstringSplit.MinCount(c.bits), c.bits);
            if (m == SubstringSplit.MinCount(c.bits) || m == c.bits) return;
            if (c.n <= SubstringSplit.RoundedUpMaxCount)
            {
                // Up to 2^27 codes: the smallest m whose substrings have at most log2(n) bits.
                Assert.True(longest <= log2 + 1e-9, $"m = {m}: {longest}-bit substrings for n = {c.n}");
                Assert.True(new SubstringSplit(c.bits, m - 1).MaxLength > log2, "a smaller m would do");
            }
            else
            {
                // Past it: the m nearest b / log2(n).
                double ideal = c.bits / log2;
                Assert.True(Math.Abs(m - ideal) <= 0.5 + 1e-9, $"m = {m} for b / log2 n = {ideal:F3}");
            }
        });

    [Theory]
    [InlineData(64, 1_000_000L, 4)] // log2 n = 19.9: 64 / 19.9 = 3.2, rounded up
    [InlineData(64, 100_000_000L, 3)] // 26.6: 2.4, rounded up
    [InlineData(64, 1_000_000_000L, 2)] // 29.9: 2.14, nearest (the paper's m = 2 at a billion)
    [InlineData(128, 1_000_000_000L, 4)] // 4.28
    public void AutomaticSubstringCountAtKnownSizes(int bits, long n, int expected) =>
        Assert.Equal(expected, SubstringSplit.ChooseCount(bits, n));
}
