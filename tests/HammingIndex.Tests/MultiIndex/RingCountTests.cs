using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HammingIndex.MultiIndex;
using HammingIndex.Storage;

namespace HammingIndex.Tests.MultiIndex;

/// <summary>The front door's ring counts against a walk over every slot of the table.</summary>
public class RingCountTests
{
    /// <summary>Bucket entries whose key lies at distance min..max from the query's substring, by walking every slot.</summary>
    private static long Reference(MultiIndexHashTable table, ulong substring, int min, int max)
    {
        long entries = 0;
        for (int slot = 0; slot < table.SlotCount; slot++)
        {
            int d = BitOperations.PopCount(table.KeyAt(slot) ^ substring);
            if (d < min || d > max) continue;
            var (start, end) = table.Bucket(slot);
            entries += end - start;
        }
        return entries;
    }

    [Property(MaxTest = 60)]
    public Property ExactCountsEqualAWalkOverEverySlot() => Prop.ForAll(MultiIndexCase.Arbitrary, c =>
    {
        var rng = new Random(c.Seed);
        var (store, _, codes) = c.Populate(rng, c.Count);
        using (store)
        {
            var index = new MultiIndexHash(store, c.Options());
            MultiIndexTables tables = index.Tables;
            ulong[] query = TestCodes.QueryNear(rng, c.Layout, codes, 0.1);
            for (int j = 0; j < tables.Split.Count; j++)
            {
                MultiIndexHashTable table = tables.Tables[j];
                ulong substring = tables.Split.Extract(query, j);
                int s = table.SubstringBits;
                int min = rng.Next(s + 1), max = min + rng.Next(s + 2 - min);
                RingCount.Estimate ring = RingCount.Count(table, substring, min, max);
                double masks = RingCount.Masks(s, min, max);
                if (ring.Walks) Assert.Equal(table.SlotCount, ring.Keys);
                else Assert.Equal(masks, ring.Keys);
                if (ring.Exact) Assert.Equal(Reference(table, substring, min, max), ring.Entries);
                // Counting every key exactly (as the fit does) always agrees with the walk, walked or enumerated.
                if (masks <= 1 << 16) Assert.Equal(Reference(table, substring, min, max), RingCount.Count(table, substring, min, max, int.MaxValue).Entries);
            }
        }
    });

    [Theory]
    [InlineData(0, 12)]
    [InlineData(3, 4)]
    [InlineData(5, 5)]
    [InlineData(6, 9)]
    public void SampledKeysLieInTheRingAndAreScaledToIt(int min, int max)
    {
        // One 12-bit table whose buckets at distance min..max of the query's substring hold one code each
        // and all others none: a sampled count is exactly the number of keys in the ring only if every
        // key it draws lies in the ring and the sum is scaled by keys / samples.
        const int bits = 12;
        ulong query = 0b1010_0110_0101;
        var values = Enumerable.Range(0, 1 << bits).Where(v => BitOperations.PopCount((ulong)v ^ query) is var d && d >= min && d <= max).ToArray();
        using var store = CodeStore.CreateInMemory(bits);
        store.AppendRange(values.Select(v => (ulong)v).ToArray(), values.Select(v => (long)v).ToArray());
        var index = new MultiIndexHash(store, new MultiIndexOptions { SubstringCount = 1 });
        MultiIndexHashTable table = index.Tables.Tables[0];
        Assert.True(table.IsDirect);
        double masks = RingCount.Masks(bits, min, max);
        Assert.Equal(values.Length, masks);
        RingCount.Estimate ring = RingCount.Count(table, query, min, max, exactKeys: 0);
        Assert.False(ring.Exact);
        Assert.Equal(masks, ring.Entries, 6);
        Assert.Equal(masks, RingCount.Count(table, query, min, max).Entries); // exact or sampled, the same here
    }
}
