using FsCheck;
using FsCheck.Xunit;
using HammingIndex.Kernels;

namespace HammingIndex.Tests.Kernels;

/// <summary>Every path the CPU has gives exactly the plain reference's answers.</summary>
public class KernelPathEquivalenceTests
{
    [Property(MaxTest = 150, EndSize = 200)]
    public unsafe void DistancesEqualTheReferenceOnEveryPath(int seed, int bitsPick, NonNegativeInt countPick)
    {
        var random = new Random(seed);
        int bits = KernelReference.PickBits(bitsPick, random);
        int count = countPick.Get;
        ulong[] query = KernelReference.RandomCode(bits, random);
        ulong[] codes = KernelReference.CodesAround(query, bits, count, random);
        int[] expected = KernelReference.Distances(query, codes);

        using var guardedQuery = new GuardedBuffer<ulong>(query);
        using var guardedCodes = new GuardedBuffer<ulong>(codes);
        using var actual = new GuardedBuffer<int>(new int[count]);
        foreach (KernelPath path in KernelReference.PathsToTest)
        {
            actual.Span.Fill(-1);
            HammingKernels.Distances(guardedQuery.Span, guardedCodes.Span, actual.Span, path);
            Assert.True(expected.AsSpan().SequenceEqual(actual.Span), $"{path}, {bits} bits, {count} codes");
        }
    }

    [Property(MaxTest = 150, EndSize = 200)]
    public void CollectWithinEqualsTheFilterReferenceOnEveryPath(int seed, int bitsPick, NonNegativeInt countPick)
    {
        var random = new Random(seed);
        int bits = KernelReference.PickBits(bitsPick, random);
        int count = countPick.Get;
        ulong[] query = KernelReference.RandomCode(bits, random);
        ulong[] codes = KernelReference.CodesAround(query, bits, count, random);
        int[] all = KernelReference.Distances(query, codes);

        // -1 (nothing), 0, small bounds, random, bits (everything) and beyond; every bound for short codes.
        IEnumerable<int> bounds = bits <= 130
            ? Enumerable.Range(-1, bits + 3)
            : [-1, 0, 1, 2, 3, random.Next(bits + 1), bits / 2, bits - 1, bits, bits + 1, int.MaxValue];

        using var guardedQuery = new GuardedBuffer<ulong>(query);
        using var guardedCodes = new GuardedBuffer<ulong>(codes);
        using var indices = new GuardedBuffer<int>(new int[count]);
        using var distances = new GuardedBuffer<int>(new int[count]);
        foreach (int bound in bounds)
        {
            (int[] expectedIndices, int[] expectedDistances) = KernelReference.Within(all, bound);
            foreach (KernelPath path in KernelReference.PathsToTest)
            {
                int found = HammingKernels.CollectWithin(guardedQuery.Span, guardedCodes.Span, bound, indices.Span, distances.Span, path);
                string what = $"{path}, {bits} bits, {count} codes, bound {bound}";
                Assert.True(found == expectedIndices.Length, $"{what}: found {found}, expected {expectedIndices.Length}");
                Assert.True(expectedIndices.AsSpan().SequenceEqual(indices.Span[..found]), what);
                Assert.True(expectedDistances.AsSpan().SequenceEqual(distances.Span[..found]), what);
            }
        }
    }

    [Property(MaxTest = 100)]
    public void DistanceEqualsTheReference(int seed, int bitsPick)
    {
        var random = new Random(seed);
        int bits = KernelReference.PickBits(bitsPick, random);
        ulong[] a = KernelReference.RandomCode(bits, random);
        ulong[] b = KernelReference.CodesAround(a, bits, 1, random);
        Assert.Equal(KernelReference.Distance(a, b), HammingKernels.Distance(a, b));
    }

    [Fact]
    public void EveryLengthAndSmallCountHitsEveryLoopOnEveryPath()
    {
        // Deterministic sweep over the loop edges: counts around the 4/8/16/32-code blocks of each path.
        var random = new Random(12345);
        foreach (int bits in KernelReference.InterestingBits)
        {
            ulong[] query = KernelReference.RandomCode(bits, random);
            foreach (int count in (int[])[0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40, 63, 64, 65])
            {
                ulong[] codes = KernelReference.CodesAround(query, bits, count, random);
                int[] expected = KernelReference.Distances(query, codes);
                foreach (KernelPath path in KernelReference.PathsToTest)
                {
                    var actual = new int[count];
                    HammingKernels.Distances(query, codes, actual, path);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{path}, {bits} bits, {count} codes");
                }
            }
        }
    }

    [Fact]
    public void CodesOfUpTo256WordsAllDifferentCountEveryBitOnEveryPath()
    {
        // The vector paths add byte counts over many words; an all-ones code against a zero query puts
        // 8 in every byte at every step, the fastest way to wrap a byte counter that is not folded in time.
        foreach (int words in Enumerable.Range(1, 256))
        {
            var query = new ulong[words];
            foreach (int count in (int[])[1, 9, 17, 33])
            {
                ulong[] codes = Enumerable.Repeat(ulong.MaxValue, words * count).ToArray();
                foreach (KernelPath path in KernelReference.PathsToTest)
                {
                    var actual = new int[count];
                    HammingKernels.Distances(query, codes, actual, path);
                    Assert.True(actual.All(d => d == 64 * words), $"{path}, {words} words, {count} codes: [{string.Join(", ", actual)}]");
                    var indices = new int[count];
                    var found = new int[count];
                    Assert.Equal(count, HammingKernels.CollectWithin(query, codes, 64 * words, indices, found, path));
                    Assert.True(found.All(d => d == 64 * words), $"{path}, {words} words, {count} codes, within");
                    Assert.Equal(0, HammingKernels.CollectWithin(query, codes, 64 * words - 1, indices, found, path));
                }
            }
        }
    }
}
