using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using HammingIndex.Kernels;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Benchmarks.Scan;

/// <summary>
/// The scan benchmark measured in interleaved rounds: each round runs the read-bandwidth baseline and
/// every scan case once, back to back, so a ratio (scan vs baseline, batch vs one by one) is taken
/// within a round and the median over rounds is reported. On a shared machine this cancels the load
/// swings that separate BenchmarkDotNet cases (run minutes apart) cannot.
/// Run: <c>dotnet run -c Release --project bench/HammingIndex.Benchmarks -- scan-paired [rounds] [N...]</c>.
/// </summary>
public static class ScanPairedRun
{
    private const int K = 10;
    private const int Batch = 100;

    /// <summary>Runs the rounds and prints a Markdown table per store size.</summary>
    public static void Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
        int[] sizes = args.Length > 1 ? args[1..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [1_000_000, 10_000_000];
        Console.WriteLine($"CPU paths: {string.Join(", ", HammingKernels.SupportedPaths)}; {Environment.ProcessorCount} cores; {rounds} rounds; top-{K}; 64-bit codes");
        foreach (int n in sizes) RunSize(n, rounds);
    }

    private sealed record Case(string Name, KernelPath? Path, int Queries, Func<long> Body);

    private static void RunSize(int n, int rounds)
    {
        using CodeStore store = BuildStore(n, out ulong[] queries);
        using CodeStoreSnapshot snapshot = store.AcquireSnapshot();
        var results = new Neighbor[Batch * K];
        var counts = new int[Batch];
        var cases = new List<Case> { new("read baseline", null, 1, () => (long)ReadAll(snapshot)) };
        foreach (KernelPath path in HammingKernels.SupportedPaths)
        {
            var all = new ScanSearcher(store, new ScanOptions { KernelPath = path });
            var one = new ScanSearcher(store, new ScanOptions { KernelPath = path, MaxDegreeOfParallelism = 1 });
            cases.Add(new("kernel alone (CollectWithin, r = 15)", path, 1, () => KernelAlone(snapshot, queries.AsSpan(0, 1), path)));
            cases.Add(new("top-10, 1 query", path, 1, () => all.TopK(queries.AsSpan(0, 1), K, results)));
            cases.Add(new("100 one by one", path, Batch, () =>
            {
                long t = 0;
                for (int q = 0; q < Batch; q++) t += all.TopK(queries.AsSpan(q, 1), K, results);
                return t;
            }));
            cases.Add(new("100 batched, 1 core", path, Batch, () => { one.TopKBatch(queries, K, results, counts); return counts[0]; }));
            cases.Add(new($"100 batched, {Environment.ProcessorCount} cores", path, Batch, () => { all.TopKBatch(queries, K, results, counts); return counts[0]; }));
        }

        foreach (Case c in cases) c.Body(); // warm-up (JIT, pools)
        var seconds = cases.Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < cases.Count; i++)
            {
                // Short cases repeat to ~20 ms so a scheduler tick does not decide them.
                int reps = 1;
                var sw = Stopwatch.StartNew();
                cases[i].Body();
                while (sw.Elapsed.TotalMilliseconds < 20) { cases[i].Body(); reps++; }
                seconds[i].Add(sw.Elapsed.TotalSeconds / reps);
            }
        }

        double bytes = n * 8.0;
        Console.WriteLine();
        Console.WriteLine($"N = {n:N0} codes ({bytes / 1e6:F0} MB of codes)");
        Console.WriteLine();
        Console.WriteLine("| Path | Case | Median time | Min time | Gcodes/s | GB/s | % of baseline | vs one by one |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < cases.Count; i++)
        {
            Case c = cases[i];
            double median = PairedStats.Median(seconds[i]);
            double rate = c.Queries * bytes / median; // Gcodes/s and GB/s from the median time
            // Paired ratios: within each round, then the median over rounds.
            string ofBaseline = i == 0 ? "100%" : $"{100 * PairedStats.Median(Enumerable.Range(0, rounds).Select(r => c.Queries * seconds[0][r] / seconds[i][r])):F0}%";
            int oneByOne = cases.FindIndex(x => x.Path == c.Path && x.Name == "100 one by one");
            string speedup = c.Name.StartsWith("100 batched", StringComparison.Ordinal)
                ? $"{PairedStats.Median(Enumerable.Range(0, rounds).Select(r => seconds[oneByOne][r] / seconds[i][r])):F2}x"
                : "";
            Console.WriteLine($"| {c.Path?.ToString() ?? "-"} | {c.Name} | {PairedStats.FormatMilliseconds(median * 1e3)} | {PairedStats.FormatMilliseconds(seconds[i].Min() * 1e3)} | {rate / 8e9:F2} | {rate / 1e9:F1} | {ofBaseline} | {speedup} |");
        }
    }

    /// <summary>The fused kernel over every block in 4096-code calls with a fixed tight bound: the scan's ceiling without the search layer.</summary>
    private static long KernelAlone(CodeStoreSnapshot snapshot, ReadOnlySpan<ulong> query, KernelPath path)
    {
        Span<int> indices = stackalloc int[4096];
        Span<int> distances = stackalloc int[4096];
        long hits = 0;
        for (int b = 0; b < snapshot.BlockCount; b++)
        {
            ReadOnlySpan<ulong> codes = snapshot.GetBlock(b).Codes;
            for (int at = 0; at < codes.Length; at += 4096)
                hits += HammingKernels.CollectWithin(query, codes.Slice(at, Math.Min(4096, codes.Length - at)), 15, indices, distances, path);
        }
        return hits;
    }

    internal static CodeStore BuildStore(int n, out ulong[] queries)
    {
        var rng = new Random(12345);
        var store = CodeStore.CreateInMemory(64);
        const int chunk = 1 << 20;
        var codes = new ulong[chunk];
        var ids = new long[chunk];
        for (int start = 0; start < n; start += chunk)
        {
            int m = Math.Min(chunk, n - start);
            for (int i = 0; i < m; i++) { codes[i] = RandomCode(rng); ids[i] = start + i; }
            store.AppendRange(codes.AsSpan(0, m), ids.AsSpan(0, m));
        }
        queries = Enumerable.Range(0, Batch).Select(_ => RandomCode(rng)).ToArray();
        return store;
    }

    private static ulong RandomCode(Random rng) => (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40);

    /// <summary>Reads every code byte once with 512-bit loads (four independent add chains).</summary>
    internal static unsafe ulong ReadAll(CodeStoreSnapshot snapshot)
    {
        Vector512<ulong> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int b = 0; b < snapshot.BlockCount; b++)
        {
            ReadOnlySpan<ulong> codes = snapshot.GetBlock(b).Codes;
            fixed (ulong* start = codes)
            {
                ulong* p = start, end = start + (codes.Length & ~31);
                for (; p < end; p += 32)
                {
                    a0 += Vector512.Load(p);
                    a1 += Vector512.Load(p + 8);
                    a2 += Vector512.Load(p + 16);
                    a3 += Vector512.Load(p + 24);
                }
                for (ulong* tail = end; tail < start + codes.Length; tail++) a0 += Vector512.CreateScalar(*tail);
            }
        }
        return Vector512.Sum(a0 + a1 + a2 + a3);
    }
}
