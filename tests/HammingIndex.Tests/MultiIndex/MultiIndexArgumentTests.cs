using HammingIndex.Codes;
using HammingIndex.MultiIndex;
using HammingIndex.Storage;

namespace HammingIndex.Tests.MultiIndex;

/// <summary>Bad input gets an ArgumentException naming the parameter.</summary>
public class MultiIndexArgumentTests
{
    private static (CodeStore, MultiIndexHash, MultiIndexSearcher) Make()
    {
        var store = TestCodes.InMemoryStore(100, TestCodes.Uniform(new Random(2), new CodeLayout(100), 50));
        var index = new MultiIndexHash(store);
        return (store, index, new MultiIndexSearcher(index));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void RadiusOutsideZeroToBitsIsRefused(int radius)
    {
        var (store, index, door) = Make();
        using (store)
        {
            ulong[] query = new ulong[2];
            Assert.Equal("radius", Assert.Throws<ArgumentOutOfRangeException>(() => index.WithinRadius(query, radius)).ParamName);
            Assert.Equal("radius", Assert.Throws<ArgumentOutOfRangeException>(() => door.WithinRadius(query, radius)).ParamName);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void KBelowOneIsRefused(int k)
    {
        var (store, index, door) = Make();
        using (store)
        {
            ulong[] query = new ulong[2];
            Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => index.TopK(query, k)).ParamName);
            Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => door.TopK(query, k)).ParamName);
        }
    }

    [Fact]
    public void QueriesOfTheWrongLengthOrWithPaddingBitsAreRefused()
    {
        var (store, index, door) = Make();
        using (store)
        {
            foreach (ulong[] bad in new[] { new ulong[1], new ulong[3], new ulong[] { 0, 1UL << 50 } })
            {
                Assert.Equal("query", Assert.Throws<ArgumentException>(() => index.WithinRadius(bad, 2)).ParamName);
                Assert.Equal("query", Assert.Throws<ArgumentException>(() => index.TopK(bad, 2)).ParamName);
                Assert.Equal("query", Assert.Throws<ArgumentException>(() => door.WithinRadius(bad, 2)).ParamName);
                Assert.Equal("query", Assert.Throws<ArgumentException>(() => door.TopK(bad, 2)).ParamName);
            }
        }
    }

    [Fact]
    public void AResultSpanShorterThanKIsRefused()
    {
        var (store, index, _) = Make();
        using (store)
            Assert.Equal("results", Assert.Throws<ArgumentException>(() => index.TopK(new ulong[2], 5, new HammingIndex.Search.Neighbor[4]) /* k = 5, room for 4 */).ParamName);
    }

    [Theory]
    [InlineData(1)]   // 100-bit substrings do not fit a ulong
    [InlineData(101)] // more substrings than bits
    [InlineData(-1)]
    public void ImpossibleSubstringCountsAreRefused(int m)
    {
        using var store = CodeStore.CreateInMemory(100);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new MultiIndexHash(store, new MultiIndexOptions { SubstringCount = m }));
        Assert.Equal("options.SubstringCount", ex.ParamName);
        Assert.Equal(m, ex.ActualValue);
    }

    [Fact]
    public void NullStoreIsRefused() =>
        Assert.Equal("store", Assert.Throws<ArgumentNullException>(() => new MultiIndexHash(null!)).ParamName);
}
