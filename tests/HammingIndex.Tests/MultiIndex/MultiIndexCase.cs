using FsCheck;
using FsCheck.Fluent;
using HammingIndex.Codes;
using HammingIndex.MultiIndex;
using HammingIndex.Storage;

namespace HammingIndex.Tests.MultiIndex;

/// <summary>
/// One random multi-index scenario: code length, count, substring count (0 = automatic), data kind,
/// seed, and whether the tables keep copies of the codes (true, false or automatic: both table layouts
/// get every property).
/// </summary>
internal sealed record MultiIndexCase(int Bits, int Count, int SubstringCount, bool Clustered, int Seed, bool? CodesInTables)
{
    public static readonly int[] BitLengths = [32, 64, 100, 128, 256];

    public static Arbitrary<MultiIndexCase> Arbitrary { get; } = Arb.From(
        from bits in Gen.Elements(BitLengths)
        from count in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Choose(1, 5)), (8, Gen.Choose(6, 400)))
        from m in Gen.Frequency(
            (3, Gen.Constant(0)),
            (4, Gen.Choose(SubstringSplit.MinCount(bits), Math.Min(bits, 13))),
            (1, Gen.Constant(bits)))
        from clustered in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue)
        from codesInTables in Gen.Elements<bool?>(true, false, null)
        select new MultiIndexCase(bits, count, m, clustered, seed, codesInTables));

    public CodeLayout Layout => new(Bits);

    public ulong[] Codes(Random rng, int count) =>
        Clustered ? TestCodes.Clustered(rng, Layout, count, 1 + rng.Next(6), 0.03 + rng.NextDouble() * 0.1) : TestCodes.Uniform(rng, Layout, count);

    /// <summary>Ids with duplicates now and then (ids need not be unique).</summary>
    public static long[] Ids(Random rng, int count, long first) =>
        Enumerable.Range(0, count).Select(i => rng.Next(10) == 0 ? first + rng.Next(Math.Max(1, i)) : first + i).ToArray();

    public MultiIndexOptions Options(long maxDelta = 0) => new() { SubstringCount = SubstringCount, MaxDeltaCount = maxDelta, CodesInTables = CodesInTables };

    public (CodeStore Store, ReferenceSearch Reference, ulong[] Codes) Populate(Random rng, int count)
    {
        var store = CodeStore.CreateInMemory(Bits);
        var reference = new ReferenceSearch(Layout.WordsPerCode);
        ulong[] codes = Codes(rng, count);
        long[] ids = Ids(rng, count, 0);
        store.AppendRange(codes, ids);
        reference.Add(codes, ids);
        return (store, reference, codes);
    }

    /// <summary>Radii 0..3, a random one and b; k = 1, a small one, and more than n.</summary>
    public int[] Radii(Random rng) => [0, 1, 2, 3, rng.Next(Bits + 1), Bits];

    public int[] Ks(Random rng, long count) => [1, 1 + rng.Next(12), (int)count + 1 + rng.Next(3)];
}
