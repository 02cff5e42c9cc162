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
            ulong mask = BitCombinations.First(c.t), last = BitCombinations.Last(c.s, c.t);
            while (true)
            {
                masks.Add(mask);
                if (mask == last) break;
                mask = BitCombinations.Next(mask);
            }
            Assert.Equal(BitCombinations.Count(c.s, c.t), masks.Count);
            Assert.All(masks, x => Assert.Equal(c.t, BitOperations.PopCount(x)));
            Assert.All(masks, x => Assert.True(c.s == 64 || x >> c.s == 0));
            for (int i = 1; i < masks.Count; i++) Assert.True(masks[i] > masks[i - 1]);
        });

    [Property(MaxTest = 300)]
    public Property AutomaticSubstringCountIsTheSmallestWithSubstringsOfAtMostLog2NBits() => Prop.ForAll(
        Arb.From(from bits in Gen.Choose(8, 4096)
                 from log in Gen.Choose(0, 40)
                 select (bits, n: 1L << log)),
        c =>
        {
            int m = SubstringSplit.ChooseCount(c.bits, c.n);
            double log2 = Math.Max(1, Math.Log2(c.n));
            int longest = new SubstringSplit(c.bits, m).MaxLength;
            Assert.True(longest <= 64);
            if (m > SubstringSplit.MinCount(c.bits)) Assert.True(longest <= log2 + 1e-9, $"m = {m}: {longest}-bit substrings for n = {c.n}");
            if (m > SubstringSplit.MinCount(c.bits)) Assert.True(new SubstringSplit(c.bits, m - 1).MaxLength > log2, "a smaller m would do");
        });
}
