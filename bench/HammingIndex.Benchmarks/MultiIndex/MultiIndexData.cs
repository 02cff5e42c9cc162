using System.Diagnostics;
using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>The two kinds of benchmark data.</summary>
public enum CodeData
{
    /// <summary>Uniform random codes: no near neighbours, MIH's worst case for k-NN.</summary>
    Uniform,

    /// <summary>10,000 random centres; every database and query code is a centre with each bit flipped with probability 0.1.</summary>
    Clustered,
}

/// <summary>
/// One benchmark data set: a store of N codes, its multi-index, the front door, the scan and a fixed
/// set of queries. Generated once per (N, bits, data) and shared by every benchmark case of the
/// process (the benchmarks run in process), so the suite fits in minutes on a small machine.
/// </summary>
public sealed class MultiIndexData
{
    /// <summary>Queries per data set of the shared (cached) sets.</summary>
    public const int DefaultQueryCount = 16;
    public const int Centres = 10_000;
    public const double FlipProbability = 0.1;

    private static readonly Dictionary<(int, int, CodeData), MultiIndexData> s_cache = new();

    /// <summary>N: 1M and 10M, or the comma-separated list in HAMMINGINDEX_MIH_N (quick runs).</summary>
    public static IEnumerable<int> Sizes => FromEnvironment("HAMMINGINDEX_MIH_N", [1_000_000, 10_000_000], int.Parse);

    /// <summary>Code lengths: 64 and 128, or HAMMINGINDEX_MIH_BITS.</summary>
    public static IEnumerable<int> CodeLengths => FromEnvironment("HAMMINGINDEX_MIH_BITS", [64, 128], int.Parse);

    /// <summary>Data kinds: both, or HAMMINGINDEX_MIH_DATA.</summary>
    public static IEnumerable<CodeData> Kinds => FromEnvironment("HAMMINGINDEX_MIH_DATA", [CodeData.Uniform, CodeData.Clustered], Enum.Parse<CodeData>);

    /// <summary>Every (N, bits, data kind) combination the environment selects, in table order.</summary>
    public static IEnumerable<(int N, int Bits, CodeData Data)> Combinations =>
        from n in Sizes from bits in CodeLengths from data in Kinds select (n, bits, data);

    /// <summary>The tables' layout: automatic (copies up to 128 bits) unless HAMMINGINDEX_MIH_CODES_IN_TABLES is true or false.</summary>
    public static bool? CodesInTables => Environment.GetEnvironmentVariable("HAMMINGINDEX_MIH_CODES_IN_TABLES") is { Length: > 0 } value ? bool.Parse(value) : null;

    private static T[] FromEnvironment<T>(string name, T[] all, Func<string, T> parse) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } list ? list.Split(',').Select(v => parse(v.Trim())).ToArray() : all;

    private MultiIndexData(int n, int bits, CodeData data, int seed, int queryCount, bool? codesInTables = null)
    {
        var rng = new Random(seed);
        QueryCount = queryCount;
        Store = CodeStore.CreateInMemory(bits);
        int words = Store.Layout.WordsPerCode;
        ulong[] centres = Random(rng, Centres, words, bits);
        var generator = new FlipGenerator(bits, FlipProbability);
        const int chunk = 1 << 18;
        var codes = new ulong[chunk * words];
        var ids = new long[chunk];
        for (int start = 0; start < n; start += chunk)
        {
            int count = Math.Min(chunk, n - start);
            for (int i = 0; i < count; i++)
            {
                Span<ulong> code = codes.AsSpan(i * words, words);
                Next(rng, data, centres, generator, code, bits);
                ids[i] = start + i;
            }
            Store.AppendRange(codes.AsSpan(0, count * words), ids.AsSpan(0, count));
        }
        Queries = new ulong[queryCount * words];
        for (int q = 0; q < QueryCount; q++) Next(rng, data, centres, generator, Queries.AsSpan(q * words, words), bits);

        (Index, Door, BuildSeconds) = BuildIndex(Store, codesInTables ?? CodesInTables, $"N={n} bits={bits} {data}");
        Scan = Door.Scan;
    }

    /// <summary>The same store and queries with tables of the other layout (see <see cref="WithLayout"/>).</summary>
    private MultiIndexData(MultiIndexData source, bool codesInTables, string label)
    {
        Store = source.Store;
        Queries = source.Queries;
        QueryCount = source.QueryCount;
        (Index, Door, BuildSeconds) = BuildIndex(Store, codesInTables, label);
        Scan = Door.Scan;
    }

    private static (MultiIndexHash, MultiIndexSearcher, double) BuildIndex(CodeStore store, bool? codesInTables, string label)
    {
        var watch = Stopwatch.StartNew();
        var index = new MultiIndexHash(store, new MultiIndexOptions { CodesInTables = codesInTables });
        double seconds = watch.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"// MultiIndexData {label}: m={index.SubstringCount} substrings [{string.Join(",", index.SubstringLengths)}], " +
            $"build {seconds:F2} s, tables {index.TableBytesPerCode:F1} B/code{(index.Tables.HasCodes ? " (codes in tables)" : " (positions only)")}, codes {store.Layout.BytesPerCode} B/code");
        return (index, new MultiIndexSearcher(index, DoorOptions), seconds);
    }

    /// <summary>The same store and queries, with new tables of the given layout (the store is shared, not copied).</summary>
    public MultiIndexData WithLayout(bool codesInTables, string label) => new(this, codesInTables, label);

    public CodeStore Store { get; }
    public MultiIndexHash Index { get; }
    /// <summary>The scan options of the front doors built from here on (door-matrix's --helper-spin).</summary>
    public static HammingIndex.Search.ScanOptions DoorOptions { get; set; } = new();

    public MultiIndexSearcher Door { get; }
    public ScanSearcher Scan { get; }
    public ulong[] Queries { get; }
    public int QueryCount { get; }
    public double BuildSeconds { get; }

    public int Words => Store.Layout.WordsPerCode;

    public ReadOnlySpan<ulong> Query(int q) => Queries.AsSpan(q * Words, Words);

    public static MultiIndexData Get(int n, int bits, CodeData data)
    {
        lock (s_cache)
        {
            if (!s_cache.TryGetValue((n, bits, data), out MultiIndexData? set))
            {
                // BenchmarkDotNet interleaves the data sets, so every set stays cached (about 2 GB for all eight).
                // Fixed seed per data set (HashCode.Combine is randomized per process).
                s_cache[(n, bits, data)] = set = new MultiIndexData(n, bits, data, n ^ (bits * 7919) ^ ((int)data * 1_000_003), DefaultQueryCount);
            }
            return set;
        }
    }

    /// <summary>A fresh, uncached data set drawn with <paramref name="seed"/> (to compare draws of one recipe).</summary>
    public static MultiIndexData Draw(int n, int bits, CodeData data, int seed, int queryCount, bool? codesInTables = null) =>
        new(n, bits, data, seed, queryCount, codesInTables);

    private static void Next(Random rng, CodeData data, ulong[] centres, FlipGenerator generator, Span<ulong> code, int bits)
    {
        int words = code.Length;
        if (data == CodeData.Uniform)
        {
            for (int w = 0; w < words; w++) code[w] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
            if ((bits & 63) != 0) code[^1] &= (1UL << (bits & 63)) - 1;
            return;
        }
        centres.AsSpan(rng.Next(Centres) * words, words).CopyTo(code);
        generator.Flip(rng, code);
    }

    private static ulong[] Random(Random rng, int count, int words, int bits)
    {
        var codes = new ulong[count * words];
        for (int i = 0; i < codes.Length; i++) codes[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
        if ((bits & 63) != 0) for (int i = words - 1; i < codes.Length; i += words) codes[i] &= (1UL << (bits & 63)) - 1;
        return codes;
    }

    /// <summary>
    /// Flips each of b bits independently with probability p, exactly in distribution: draws how many
    /// bits flip (binomial, by inverse CDF) and then which (uniform without replacement).
    /// </summary>
    private sealed class FlipGenerator
    {
        private readonly int _bits;
        private readonly double[] _cdf;

        public FlipGenerator(int bits, double p)
        {
            _bits = bits;
            _cdf = new double[bits + 1];
            double pmf = Math.Pow(1 - p, bits), total = 0;
            for (int k = 0; k <= bits; k++)
            {
                total += pmf;
                _cdf[k] = total;
                pmf *= (double)(bits - k) / (k + 1) * p / (1 - p);
            }
        }

        public void Flip(Random rng, Span<ulong> code)
        {
            double u = rng.NextDouble();
            int flips = 0;
            while (flips < _bits && u > _cdf[flips]) flips++;
            Span<ulong> mask = stackalloc ulong[code.Length];
            for (int f = 0; f < flips;)
            {
                int bit = rng.Next(_bits);
                ulong b = 1UL << bit;
                if ((mask[bit >> 6] & b) != 0) continue;
                mask[bit >> 6] |= b;
                f++;
            }
            for (int w = 0; w < code.Length; w++) code[w] ^= mask[w];
        }
    }
}
