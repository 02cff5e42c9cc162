using System.Diagnostics;
using HammingIndex.MultiIndex;
using HammingIndex.Search;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// Where a batch row's time goes on one core: the door one query at a time over distinct queries, the
/// same with every query asked twice in a row (the second finds its offsets, buckets and codes in the
/// cache: what memory stalls cost), and the batch API.
/// Run: <c>batch-trace N bits uniform|clustered codes|positions k|r=R [queries] [--rounds R] [--only path] [--dop n]; --only 5 times lone queries from one thread against two threads, --only 6 the same on raw MIH</c>.
/// </summary>
public static class BatchTraceRun
{
    /// <summary>
    /// <c>--only 5</c>: an application asking the door one query at a time from one thread, then from two
    /// threads at once (each half the queries), in alternating rounds: how concurrent lone queries scale;
    /// <paramref name="raw"/> (<c>--only 6</c>): the same through raw MIH, without the door.
    /// </summary>
    private static void Concurrent(MultiIndexData set, bool isRadius, int value, int queries, int rounds, bool raw)
    {
        const int repeats = 8;
        HammingIndex.Indexing.IHammingSearcher door = raw ? set.Index : set.Door;
        void Ask(int from, int to)
        {
            for (int r = 0; r < repeats; r++)
                for (int q = from; q < to; q++) _ = isRadius ? door.WithinRadius(set.Query(q), value) : door.TopK(set.Query(q), value);
        }
        var one = new List<double>();
        var two = new List<double>();
        for (int round = -1; round < rounds; round++)
        {
            long start = Stopwatch.GetTimestamp();
            Ask(0, queries);
            double single = Stopwatch.GetElapsedTime(start).TotalMicroseconds * 1e3 / (queries * repeats);
            int go = 0;
            var threads = new[] { new Thread(() => { while (Volatile.Read(ref go) == 0) Thread.SpinWait(10); Ask(0, queries / 2); }),
                                  new Thread(() => { while (Volatile.Read(ref go) == 0) Thread.SpinWait(10); Ask(queries / 2, queries); }) };
            foreach (Thread t in threads) t.Start();
            Thread.Sleep(5); // both started and spinning
            start = Stopwatch.GetTimestamp();
            Volatile.Write(ref go, 1);
            foreach (Thread t in threads) t.Join();
            double pair = Stopwatch.GetElapsedTime(start).TotalMicroseconds * 1e3 / (queries * repeats);
            if (round < 0) continue;
            one.Add(single);
            two.Add(pair);
        }
        Console.WriteLine($"one thread, ns/query: {string.Join(" ", one.Select(t => t.ToString("F0")))}");
        Console.WriteLine($"two threads, ns/query: {string.Join(" ", two.Select(t => t.ToString("F0")))}");
        Console.WriteLine($"median: one thread {PairedStats.Median(one):F0}, two threads {PairedStats.Median(two):F0} ({PairedStats.Median(one) / PairedStats.Median(two):F2}x)");
    }

    public static void Run(string[] args)
    {
        int rounds = DoorTraceRun.TakeOption(ref args, "--rounds", 7);
        int only = DoorTraceRun.TakeOption(ref args, "--only", -1);
        // The batch's degree of parallelism (1: the batch on the calling thread alone, what it does per core).
        if (args.Contains("--dop")) MultiIndexData.DoorOptions = new ScanOptions { MaxDegreeOfParallelism = DoorTraceRun.TakeOption(ref args, "--dop", 0) };
        var (set, isRadius, value, queries) = DoorTraceRun.Row(args, 1000);
        MultiIndexSearcher door = set.Door;
        if (only is 5 or 6)
        {
            Concurrent(set, isRadius, value, queries, rounds, raw: only == 6);
            return;
        }
        ReadOnlySpan<ulong> batch = set.Queries.AsSpan(0, queries * set.Words);
        const int paths = 5;
        var answers = new SearchResult[queries]; // the batch writes into a reused buffer
        var times = new List<double>[paths];
        for (int i = 0; i < paths; i++) times[i] = [];
        for (int round = -1; round < rounds; round++)
        for (int i = 0; i < paths; i++)
        {
            int path = (round + i + paths) % paths;
            if (only >= 0 && path != only) continue;
            set.Scan.TopK(set.Query(0), 1); // every path starts from a scan's cache state
            long start = Stopwatch.GetTimestamp();
            switch (path)
            {
                case 0:
                    for (int q = 0; q < queries; q++) _ = isRadius ? door.WithinRadius(set.Query(q), value) : door.TopK(set.Query(q), value);
                    break;
                case 1:
                    for (int q = 0; q < queries; q++)
                    {
                        _ = isRadius ? door.WithinRadius(set.Query(q), value) : door.TopK(set.Query(q), value);
                        _ = isRadius ? door.WithinRadius(set.Query(q), value) : door.TopK(set.Query(q), value);
                    }
                    break;
                case 2:
                    if (isRadius) door.WithinRadiusBatch(batch, value, answers);
                    else door.TopKBatch(batch, value, answers);
                    break;
                case 3:
                    for (int q = 0; q < queries; q++) _ = isRadius ? door.WithinRadius(set.Query(0), value) : door.TopK(set.Query(0), value);
                    break;
                default:
                    for (int q = 0; q < queries; q++) _ = isRadius ? set.Index.WithinRadius(set.Query(q), value) : set.Index.TopK(set.Query(q), value);
                    break;
            }
            if (round >= 0) times[path].Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds * 1e3 / queries);
        }
        if (only >= 0)
        {
            Console.WriteLine($"path {only}: per round ns/query {string.Join(" ", times[only].Take(40).Select(t => t.ToString("F0")))}; gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}");
            Console.WriteLine($"batch helpers: {HammingIndex.Search.BatchHelpers.Counters}");
            return;
        }
        int loneScans = Enumerable.Range(0, queries).Count(q => (isRadius ? door.WithinRadius(set.Query(q), value) : door.TopK(set.Query(q), value)).Path == SearchPath.Scan);
        int batchScans = (isRadius ? door.WithinRadiusBatch(batch, value) : door.TopKBatch(batch, value)).Count(a => a.Path == SearchPath.Scan);
        Console.WriteLine($"queries the scan answered: {loneScans} one by one, {batchScans} in the batch");
        double one = PairedStats.Median(times[0]), twice = PairedStats.Median(times[1]), batched = PairedStats.Median(times[2]), same = PairedStats.Median(times[3]);
        Console.WriteLine($"batch helpers (batches, joined, signals, helper items, items): {HammingIndex.Search.BatchHelpers.Counters}");
        Console.WriteLine($"raw MIH one by one {PairedStats.Median(times[4]):F0} ns/query");
        Console.WriteLine($"one by one {one:F0} ns/query; asked twice {twice:F0} ns (second ask ~{twice - one:F0} ns); one query repeated {same:F0} ns; batch {batched:F0} ns ({one / batched:F2}x)");
    }
}
