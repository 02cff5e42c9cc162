using HammingIndex.Codes;
using HammingIndex.MultiIndex;
using HammingIndex.Storage;

namespace HammingIndex.Tests.MultiIndex;

/// <summary>The tables' copies of the codes (MultiIndexOptions.CodesInTables): what they hold and what they cost.</summary>
public class MultiIndexTableLayoutTests
{
    [Theory]
    [InlineData(64, 0)]
    [InlineData(100, 3)]
    [InlineData(256, 0)]
    [InlineData(40, 40)] // one-bit substrings: sorted and direct tables alike
    public void EachEntryHoldsTheStoreCodeAtItsPositionAndNothingElseChanges(int bits, int m)
    {
        var rng = new Random(bits + m);
        ulong[] codes = TestCodes.Clustered(rng, new CodeLayout(bits), 3000, 4, 0.05);
        using var store = TestCodes.InMemoryStore(bits, codes);
        for (long id = 0; id < 3000; id += 7) store.TryDelete(id);
        var with = new MultiIndexHash(store, new MultiIndexOptions { SubstringCount = m, CodesInTables = true });
        var without = new MultiIndexHash(store, new MultiIndexOptions { SubstringCount = m, CodesInTables = false });
        int words = store.Layout.WordsPerCode;
        long copies = 0;
        for (int j = 0; j < with.SubstringCount; j++)
        {
            MultiIndexHashTable a = with.Tables.Tables[j], b = without.Tables.Tables[j];
            Assert.True(a.HasCodes);
            Assert.False(b.HasCodes);
            Assert.Equal(b.Offsets.ToArray(), a.Offsets.ToArray());
            Assert.Equal(b.Positions.ToArray(), a.Positions.ToArray());
            Assert.Equal(a.Positions.Length * words, a.Codes.Length);
            for (int i = 0; i < a.Positions.Length; i++)
                Assert.Equal(codes.AsSpan((int)a.Positions[i] * words, words), a.Codes.Slice(i * words, words));
            copies += a.Codes.Length * sizeof(ulong);
        }
        // The copies, each section padded to a page.
        Assert.InRange(with.TableBytes - without.TableBytes, copies, copies + with.SubstringCount * (long)MultiIndexFile.PageBytes);
        Assert.Equal(with.SubstringCount * (3000 - 429) * (long)words * sizeof(ulong), copies); // 429 deleted before the build
    }

    [Theory]
    [InlineData(8, true)]
    [InlineData(64, true)]
    [InlineData(128, true)]
    [InlineData(129, false)] // three words: m copies of a long code cost more than they save
    [InlineData(1024, false)]
    public void ByDefaultOnlyCodesOfUpTo128BitsAreCopied(int bits, bool copied)
    {
        using var store = TestCodes.InMemoryStore(bits, TestCodes.Uniform(new Random(bits), new CodeLayout(bits), 500));
        Assert.Equal(copied, new MultiIndexOptions().KeepsCodesInTables(bits, store.Count));
        Assert.False(new MultiIndexOptions().KeepsCodesInTables(bits, MultiIndexOptions.MaxAutomaticCodeCount + 1)); // copies of a billion codes outgrow RAM
        Assert.True(new MultiIndexOptions { CodesInTables = true }.KeepsCodesInTables(bits, MultiIndexOptions.MaxAutomaticCodeCount + 1));
        Assert.Equal(copied, new MultiIndexHash(store).Tables.HasCodes);
        Assert.True(new MultiIndexHash(store, new MultiIndexOptions { CodesInTables = true }).Tables.HasCodes); // forced either way
        Assert.False(new MultiIndexHash(store, new MultiIndexOptions { CodesInTables = false }).Tables.HasCodes);
    }
}
