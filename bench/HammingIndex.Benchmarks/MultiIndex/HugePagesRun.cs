using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// Raw MIH over two copies of one data set (the same seed: the same codes and queries), the in-memory
/// store and tables of one in 4 KiB pages and of the other advised for transparent huge pages
/// (<c>NativeBlocks.UseHugePages</c>), interleaved query by query in thread CPU time, each query after
/// an untimed scan of another (the matrix's cache state): what the page walks of random probes cost.
/// Prints the kernel's AnonHugePages before and after the second copy.
/// Run: <c>huge-pages N bits uniform|clustered codes|positions k|r=R [queries] [--rounds R]</c>.
/// </summary>
public static class HugePagesRun
{
    public static void Run(string[] args)
    {
        int rounds = DoorTraceRun.TakeOption(ref args, "--rounds", 5);
        NativeBlocks.UseHugePages = false;
        var (set, isRadius, value, queries) = DoorTraceRun.Row(args, 64);
        long before = Machine.ProcFields.Read("/proc/meminfo", "AnonHugePages:");
        NativeBlocks.UseHugePages = true;
        MultiIndexData huge = DoorTraceRun.Row(args, 64).Set;
        Console.WriteLine($"// AnonHugePages {before / 1024} MiB before the huge-page copy, {Machine.ProcFields.Read("/proc/meminfo", "AnonHugePages:") / 1024} MiB after; " +
            $"tables {huge.Index.TableBytesPerCode * set.Store.Count / (1 << 20):F0} MiB, codes {(double)set.Store.Layout.BytesPerCode * set.Store.Count / (1 << 20):F0} MiB");
        MultiIndexHash[] builds = [set.Index, huge.Index];
        var nearest = new Neighbor[Math.Max(1, value)];
        var results = new List<Neighbor>();
        var sums = new double[2];
        var ratios = new List<double>();
        for (int round = -1; round < rounds; round++)
        for (int q = 0; q < queries; q++)
        {
            var pair = new double[2];
            for (int i = 0; i < 2; i++)
            {
                int b = (round + q + i) & 1; // alternate which build goes first
                (b == 0 ? set : huge).Scan.TopK(set.Query((q + 1) % queries), 1, nearest);
                long start = ThreadClock.NowNanoseconds();
                if (isRadius)
                {
                    results.Clear();
                    builds[b].TryWithinRadius(set.Query(q), value, results, SearchBudget.Unlimited, out _);
                }
                else builds[b].TryTopK(set.Query(q), value, SearchBudget.Unlimited, nearest, out _);
                pair[b] = ThreadClock.NowNanoseconds() - start;
            }
            if (round < 0) continue;
            sums[0] += pair[0];
            sums[1] += pair[1];
            ratios.Add(pair[1] / pair[0]);
        }
        double count = (double)rounds * queries;
        Console.WriteLine($"raw MIH, 4 KiB pages {sums[0] / count / 1e3:F2} µs, huge pages {sums[1] / count / 1e3:F2} µs: huge / 4 KiB {sums[1] / sums[0]:F3} (median per query {PairedStats.Median(ratios):F3})");
    }
}
