using System.Diagnostics;
using HammingIndex.Indexing;
using HammingIndex.Kernels;
using HammingIndex.MultiIndex;
using HammingIndex.Storage;

namespace HammingIndex.Benchmarks.Indexing;

/// <summary>
/// What a search costs right after a large append: the front door over a bare <see cref="MultiIndexHash"/>
/// (which rebuilds its tables inside the search that finds the delta over its limit) against
/// <see cref="CodeIndex"/> (which scans the delta and rebuilds in the background), side by side in
/// interleaved rounds; then both once their tables cover everything (the index's overhead over the door).
/// Run: <c>dotnet run -c Release --project bench/HammingIndex.Benchmarks -- index-stall [rounds] [n] [bits]</c>.
/// </summary>
public static class IndexStallRun
{
    public static void Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0]) : 3;
        int n = args.Length > 1 ? int.Parse(args[1]) : 1_000_000;
        int bits = args.Length > 2 ? int.Parse(args[2]) : 64;
        int delta = n / 10, queries = 200;
        int words = (bits + 63) / 64;
        var rng = new Random(77);
        ulong[] codes = Random(rng, (n + delta) * words, bits);
        long[] ids = Enumerable.Range(0, n + delta).Select(i => (long)i).ToArray();
        ulong[] queryCodes = Random(rng, queries * words, bits);
        Console.WriteLine($"# Index stall run: {n:N0} {bits}-bit uniform codes, then {delta:N0} appended; 10-NN; {rounds} rounds; kernel path {HammingKernels.DefaultPath}, {Environment.ProcessorCount} cores");
        Console.WriteLine("| round | door: first search after the append | index: first search after the append | index / door | door steady / query | index steady / query | index / door steady |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        var firstRatios = new List<double>();
        var steadyRatios = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            // The bare door: tables over n codes, then the append; its next search rebuilds.
            using var store = CodeStore.CreateInMemory(bits);
            store.AppendRange(codes.AsSpan(0, n * words), ids.AsSpan(0, n));
            var door = new MultiIndexSearcher(new MultiIndexHash(store));
            store.AppendRange(codes.AsSpan(n * words), ids.AsSpan(n));
            double doorFirst = Time(() => door.TopK(queryCodes.AsSpan(0, words), 10));

            using var index = CodeIndex.CreateInMemory(bits);
            index.AddRange(codes.AsSpan(0, n * words), ids.AsSpan(0, n));
            index.RebuildTables();
            index.AddRange(codes.AsSpan(n * words), ids.AsSpan(n)); // starts a background rebuild
            double indexFirst = Time(() => index.TopK(queryCodes.AsSpan(0, words), 10));

            SpinWait.SpinUntil(() => !index.RebuildPending);
            index.RebuildTables();
            double doorSteady = 0, indexSteady = 0;
            for (int q = 0; q < queries; q++)
            {
                ReadOnlySpan<ulong> query = queryCodes.AsSpan(q * words, words);
                long start = Stopwatch.GetTimestamp();
                _ = door.TopK(query, 10);
                doorSteady += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                start = Stopwatch.GetTimestamp();
                _ = index.TopK(query, 10);
                indexSteady += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            doorSteady /= queries;
            indexSteady /= queries;
            firstRatios.Add(indexFirst / doorFirst);
            steadyRatios.Add(indexSteady / doorSteady);
            Console.WriteLine($"| {round + 1} | {PairedStats.FormatMilliseconds(doorFirst)} | {PairedStats.FormatMilliseconds(indexFirst)} | {indexFirst / doorFirst:F3} | " +
                $"{PairedStats.FormatMilliseconds(doorSteady)} | {PairedStats.FormatMilliseconds(indexSteady)} | {indexSteady / doorSteady:F2} |");
        }
        Console.WriteLine($"median index / door: first search {PairedStats.Median(firstRatios):F3}, steady {PairedStats.Median(steadyRatios):F2}");
    }

    private static double Time(Func<SearchResult> search)
    {
        long start = Stopwatch.GetTimestamp();
        _ = search();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static ulong[] Random(Random rng, int length, int bits)
    {
        var codes = new ulong[length];
        int words = (bits + 63) / 64;
        for (int i = 0; i < length; i++) codes[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
        if (bits % 64 != 0) for (int i = words - 1; i < length; i += words) codes[i] &= (1UL << (bits % 64)) - 1;
        return codes;
    }
}
