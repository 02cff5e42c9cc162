using HammingIndex.MultiIndex;
using HammingIndex.Search;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// One row of the door matrix query by query: each query's door time, path and candidates (on the scan
/// path: the candidates of the abandoned multi-index attempt), and the scan's time beside it, to see
/// what a miss in <see cref="DoorMatrixRun"/> costs. The back-off is bypassed (every query attempts) unless
/// <c>--keep-backoff</c> is given: then the queries meet the door as in an application, trust and back-off kept.
/// Run: <c>door-trace N bits uniform|clustered codes|positions k|r=R|mix=k1,k2,.. [queries] [--no-mih] [--keep-backoff] [--overhead] [--profile] [--rounds R]</c>.
/// </summary>
public static class DoorTraceRun
{
    public static void Run(string[] args)
    {
        bool keep = args.Contains("--keep-backoff"), timeMih = !args.Contains("--no-mih"), overhead = args.Contains("--overhead"), profile = args.Contains("--profile");
        int rounds = TakeOption(ref args, "--rounds", 5);
        args = args.Where(a => a is not ("--no-mih" or "--overhead" or "--profile" or "--keep-backoff")).ToArray();
        if (args.Length > 4 && args[4].StartsWith("mix=", StringComparison.Ordinal))
        {
            int[] ks = args[4][4..].Split(',').Select(int.Parse).ToArray();
            var (mixSet, _, _, mixQueries) = Row([.. args[..4], "1", .. args[5..]], 64);
            Mix(mixSet, ks, mixQueries, rounds);
            return;
        }
        var (set, isRadius, value, queries) = Row(args, 16);
        if (profile)
        {
            Profile(set, isRadius, value, queries, rounds);
            return;
        }
        if (overhead)
        {
            Overhead(set, isRadius, value, queries, rounds);
            return;
        }
        for (int pass = 0; pass < 2; pass++)
        for (int q = 0; q < queries; q++)
        {
            long start = ThreadClock.NowNanoseconds();
            _ = isRadius ? set.Scan.WithinRadius(set.Query(q), value) : set.Scan.TopK(set.Query(q), value);
            double scan = (ThreadClock.NowNanoseconds() - start) / 1e3;
            MultiIndexSearcher door = set.Door;
            bool trusted = door.IsTrusted(value);
            if (!keep) door.ResetBackoff(); // every query attempts the tables
            int gcBefore = GC.CollectionCount(0);
            start = ThreadClock.NowNanoseconds();
            SearchResult result = isRadius ? door.WithinRadius(set.Query(q), value) : door.TopK(set.Query(q), value);
            double time = (ThreadClock.NowNanoseconds() - start) / 1e3;
            int gcs = GC.CollectionCount(0) - gcBefore;
            start = ThreadClock.NowNanoseconds();
            long mihCandidates = 0;
            double mihSpent = 0;
            if (timeMih && isRadius) _ = set.Index.WithinRadius(set.Query(q), value);
            else if (timeMih)
            {
                set.Index.TryTopK(set.Query(q), value, SearchBudget.Unlimited, out Neighbor[]? _, out long c, out mihSpent);
                mihCandidates = c;
            }
            double mih = (ThreadClock.NowNanoseconds() - start) / 1e3;
            if (pass == 1)
                Console.WriteLine($"q{q}: scan {scan:F0} µs, MIH {mih:F0} µs, door {time:F0} µs via {result.Path}, candidates {result.CandidatesVerified - (result.Path == SearchPath.Scan ? set.Store.Count : 0):N0}{(mihCandidates > 0 ? $" (raw MIH {mihCandidates:N0}, {mihSpent / set.Door.Budget(set.Store.Count, value).Units:F2} of the door's budget)" : "")}{(gcs > 0 ? $", {gcs} GC" : "")}{(keep && trusted ? ", trusted" : "")}");
        }
    }

    /// <summary>
    /// An application asking several k in turn (<c>mix=1,100</c>): each query is asked at every k, the
    /// door and the scan each timed (thread CPU time, each after an untimed scan of another query), so a
    /// door whose choice at one k disturbs another (a shared back-off) shows against the scan per k.
    /// </summary>
    private static void Mix(MultiIndexData set, int[] ks, int queries, int rounds)
    {
        var results = new Neighbor[ks.Max()];
        var door = new double[ks.Length];
        var scan = new double[ks.Length];
        var viaIndex = new int[ks.Length];
        for (int round = -1; round < rounds; round++)
        for (int q = 0; q < queries; q++)
        for (int i = 0; i < ks.Length; i++)
        for (int path = 0; path < 2; path++)
        {
            int first = (round + q) & 1, p = path ^ first; // alternate which path goes first
            set.Scan.TopK(set.Query((q + 1) % queries), 1, results);
            long start = ThreadClock.NowNanoseconds();
            if (p == 0) set.Door.TopK(set.Query(q), ks[i], results);
            else set.Scan.TopK(set.Query(q), ks[i], results);
            double elapsed = ThreadClock.NowNanoseconds() - start;
            if (round < 0) continue;
            (p == 0 ? door : scan)[i] += elapsed;
        }
        for (int q = 0; q < queries; q++)
        for (int i = 0; i < ks.Length; i++)
            if (set.Door.TopK(set.Query(q), ks[i]).Path == SearchPath.MultiIndex) viaIndex[i]++;
        for (int i = 0; i < ks.Length; i++)
            Console.WriteLine($"{ks[i]}-NN in the mix: door {door[i] / (rounds * queries) / 1e3:F1} µs, scan {scan[i] / (rounds * queries) / 1e3:F1} µs, " +
                $"door / scan {door[i] / scan[i]:F3}, door via MIH {100.0 * viaIndex[i] / queries:F0}% (an untimed pass)");
    }

    /// <summary>The integer after <paramref name="name"/> in <paramref name="args"/>, both taken out of them; <paramref name="fallback"/> when absent.</summary>
    public static int TakeOption(ref string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        if (at < 0) return fallback;
        int value = int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture);
        args = [.. args[..at], .. args[(at + 2)..]];
        return value;
    }

    /// <summary>
    /// One matrix row from <c>N bits uniform|clustered codes|positions k|r=R [queries]</c>: its data set
    /// (drawn as <see cref="DoorMatrixRun"/> draws it), whether it is a radius query, k or r, and the query count.
    /// </summary>
    public static (MultiIndexData Set, bool IsRadius, int Value, int Queries) Row(string[] args, int defaultQueries)
    {
        int n = int.Parse(args[0]), bits = int.Parse(args[1]), queries = args.Length > 5 ? int.Parse(args[5]) : defaultQueries;
        CodeData data = Enum.Parse<CodeData>(args[2], ignoreCase: true);
        bool isRadius = args[4].StartsWith("r=", StringComparison.Ordinal);
        int value = int.Parse(isRadius ? args[4][2..] : args[4]);
        return (MultiIndexData.Draw(n, bits, data, 90210 ^ n ^ (bits * 31) ^ ((int)data << 20), queries, args[3] == "codes"), isRadius, value, queries);
    }

    /// <summary>
    /// The door alone, every query <paramref name="rounds"/> times after an untimed warm-up round, for a
    /// sampling profiler (<c>perf record</c> with <c>DOTNET_PerfMapEnabled=1</c> and
    /// <c>DOTNET_EnableWriteXorExecute=0</c>): its time and paths. <c>DOOR_UNPRICED=1</c> gives the door
    /// an unlimited budget (no pricing); <c>DOOR_COLD=1</c> runs an untimed scan of another query before
    /// each (the matrix's cache state), <c>DOOR_COLD=2</c> also an untimed door query of a third (warm code, cold data).
    /// </summary>
    private static void Profile(MultiIndexData set, bool isRadius, int value, int queries, int rounds)
    {
        var nearest = new Neighbor[Math.Max(1, value)];
        var results = new List<Neighbor>();
        int viaIndex = 0;
        if (Environment.GetEnvironmentVariable("DOOR_UNPRICED") == "1") set.Door.ScanCostScale = double.PositiveInfinity;
        int cold = int.Parse(Environment.GetEnvironmentVariable("DOOR_COLD") ?? "0");
        double elapsed = 0;
        for (int round = -1; round < rounds; round++) // round -1 warms up, untimed
        for (int q = 0; q < queries; q++)
        {
            if (cold > 0) set.Scan.TopK(set.Query((q + 1) % queries), 1, nearest);
            if (cold > 1) set.Door.TopK(set.Query((q + 2) % queries), value);
            long start = ThreadClock.NowNanoseconds();
            if (isRadius)
            {
                results.Clear();
                set.Door.WithinRadius(set.Query(q), value, results);
            }
            else if (set.Door.TopK(set.Query(q), value).Path == SearchPath.MultiIndex && round >= 0) viaIndex++;
            if (round >= 0) elapsed += ThreadClock.NowNanoseconds() - start;
        }
        Console.WriteLine($"door {elapsed / ((double)rounds * queries) / 1e3:F1} µs a query over {rounds} rounds{(isRadius ? "" : $", via MIH {100.0 * viaIndex / ((double)rounds * queries):F0}%")}");
    }

    /// <summary>
    /// What the door costs beyond the path it takes: the scan alone, the door forced onto the scan (it
    /// decides nothing), the door as it is, raw MIH and the door with an unlimited budget (it prices
    /// nothing: beside raw MIH, what the door's wrapper costs), interleaved query by query in thread CPU time,
    /// each after an untimed scan of another query. Besides the means, the sums over queries of each
    /// query's median over rounds (robust to the bursts of a loaded machine). <c>DOOR_WARM=1</c> also
    /// runs each path on a third query, untimed, between the scan and the timed query: the path's code
    /// warm and the query's data cold (the scan leaves neither in the 4–8 MiB of cache this machine gets: memory-latency).
    /// </summary>
    private static void Overhead(MultiIndexData set, bool isRadius, int value, int queries, int rounds)
    {
        MultiIndexSearcher door = set.Door;
        var nearest = new Neighbor[Math.Max(1, value)];
        var results = new List<Neighbor>();
        const int Paths = 5;
        var sums = new double[Paths];
        var times = new double[Paths, queries, rounds];
        int viaIndex = 0;
        // The paths of one step run different queries, a fifth of the set apart (see DoorMatrixRun).
        int shift = Math.Max(1, queries / Paths);
        bool warmCode = Environment.GetEnvironmentVariable("DOOR_WARM") == "1";
        void Ask(int path, ReadOnlySpan<ulong> query, bool count)
        {
            if (path == 0)
            {
                if (isRadius) { results.Clear(); set.Scan.WithinRadius(query, value, results); }
                else set.Scan.TopK(query, value, nearest);
            }
            else if (path == 3)
            {
                results.Clear();
                if (isRadius) set.Index.TryWithinRadius(query, value, results, SearchBudget.Unlimited, out _);
                else set.Index.TryTopK(query, value, SearchBudget.Unlimited, nearest, out _);
            }
            else
            {
                SearchResult result = isRadius ? door.WithinRadius(query, value) : door.TopK(query, value);
                if (path == 2 && count && result.Path == SearchPath.MultiIndex) viaIndex++;
            }
        }
        for (int round = -1; round < rounds; round++)
        for (int step = 0; step < queries; step++)
        for (int i = 0; i < Paths; i++)
        {
            int path = PairedStats.Order(Paths, round + 1 + step)[i], q = (step + path * shift) % queries;
            set.Scan.TopK(set.Query((q + 1) % queries), 1, nearest);
            door.ScanCostScale = path switch { 1 => 0, 4 => double.PositiveInfinity, _ => 1 };
            if (warmCode) Ask(path, set.Query((q + 2) % queries), false); // the path's code warm, this query's data cold
            long start = ThreadClock.NowNanoseconds();
            Ask(path, set.Query(q), round >= 0);
            if (round < 0) continue;
            double elapsed = ThreadClock.NowNanoseconds() - start;
            sums[path] += elapsed;
            times[path, q, round] = elapsed;
        }
        door.ScanCostScale = 1;
        Console.WriteLine($"scan price scale {door.ScanCalibration.Scale:F3}, k-NN budget {door.Budget(set.Store.Count, Math.Max(1, value)).Units:N0} units");
        double Per(int path) => sums[path] / (rounds * queries) / 1e3;
        double Med(int path) => Enumerable.Range(0, queries).Sum(q => PairedStats.Median(Enumerable.Range(0, rounds).Select(r => times[path, q, r]))) / queries / 1e3;
        Console.WriteLine($"scan {Per(0):F1} µs, door forced to scan {Per(1):F1} µs ({Per(1) / Per(0):F3}), door {Per(2):F1} µs ({Per(2) / Per(0):F3}), raw MIH {Per(3):F1} µs, door / min(scan, MIH) {Per(2) / Math.Min(Per(0), Per(3)):F3}, door via MIH {100.0 * viaIndex / (rounds * queries):F0}%, door unpriced {Per(4):F1} µs ({Per(4) / Per(3):F3} of raw MIH)");
        Console.WriteLine($"medians over rounds: scan {Med(0):F1} µs, door forced to scan {Med(1):F1} µs, door {Med(2):F1} µs, raw MIH {Med(3):F1} µs, door / min(scan, MIH) {Med(2) / Math.Min(Med(0), Med(3)):F3}, door unpriced {Med(4):F1} µs");
    }
}
