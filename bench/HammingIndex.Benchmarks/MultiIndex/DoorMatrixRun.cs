using System.Diagnostics;
using HammingIndex.Kernels;
using HammingIndex.MultiIndex;
using HammingIndex.Search;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// The front door's matrix (issue 10): per row, the scan, raw MIH and the door, time per query and
/// door / min(scan, MIH), over N, code length, data kind, table layout, k-NN (k = 1, 10, 100) and
/// radius (r = 0, 2, 4, 8). The three paths run in rounds interleaved query by query (each query on
/// every path back to back, the order cycling through every permutation, each after an untimed scan pass), timed in the thread's CPU time and averaged
/// over <c>--queries</c> to <c>--max-queries</c> queries a row (as many as the fastest path needs to run <c>--row-ms</c> a round);
/// all three through their allocation-free overloads (results into a reused list or span). Raw MIH
/// slower than <c>--mih-cap</c> times the scan in the warm-up is not timed in rounds (shown as ≥ its
/// warm-up mean over the queries it ran). <c>--batch</c> runs the same matrix
/// through the door's batch API (all cores) against the door one query at a time on one core
/// (<c>--cold-rounds</c>: each round after an untimed scan, not warm from the last round's same queries).
/// <c>--fit</c> prints the least-squares fit of the cost model's constants over the radius rows.
/// Run: <c>dotnet run -c Release --project bench/HammingIndex.Benchmarks -- door-matrix [--n 1000000,10000000]
/// [--bits 64,128,256] [--data uniform,clustered] [--layout positions,codes] [--rounds 3] [--queries 16] [--max-queries 128] [--row-ms 2]
/// [--batch] [--batch-queries 1000] [--cold-rounds] [--fit] [--mih-cap 20]</c>.
/// </summary>
public static class DoorMatrixRun
{
    private const int Seed = 90210;

    private sealed record Settings(int[] Sizes, int[] Bits, CodeData[] Kinds, bool[] Layouts, int Rounds, int Queries, int MaxQueries,
        double RowMilliseconds, bool Batch, int BatchQueries, bool Fit, double MihCap, bool ColdRounds);

    private readonly record struct QueryType(bool IsRadius, int Value)
    {
        public override string ToString() => IsRadius ? $"r = {Value}" : $"{Value}-NN";
    }

    /// <summary>One row's measured time per query and its counted work (for the fit): raw MIH (keys, entries) or the scan (words, k).</summary>
    private readonly record struct FitRow(bool IsScan, bool HasCodes, int Words, double Keys, double Entries, double Ns);

    private static readonly QueryType[] s_types =
        [new(false, 1), new(false, 10), new(false, 100), new(true, 0), new(true, 2), new(true, 4), new(true, 8)];

    public static void Run(string[] args)
    {
        Settings o = Parse(args);
        Console.WriteLine($"# door-matrix{(o.Batch ? " --batch" : "")}: {o.Rounds} interleaved rounds, {(o.Batch ? $"{o.BatchQueries}-query batches" : $"{o.Queries}–{o.MaxQueries} queries per row (enough for {o.RowMilliseconds} ms of the fastest path a round)")}, " +
            $"kernel path {HammingKernels.DefaultPath}, {Environment.ProcessorCount} cores, {(o.Batch ? $"helpers spin {MultiIndexData.DoorOptions.HelperSpin.TotalMilliseconds} ms after a batch, wall clock and CPU time" : ThreadClock.IsCpuTime ? "thread CPU time" : "wall clock")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine(o.Batch
            ? "| N | bits | data | tables | query | one by one: CPU / query | one by one: wall / query | batch: wall / query | batch speed-up (wall) | batch CPU / one-by-one CPU | batch via MIH | helper joined / woken of batches handed | items helpers took |\n|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
            : "| N | bits | data | tables | query | scan / query | MIH / query | door / query | door / min(scan, MIH) | door via MIH | MIH entries / query | queries |\n|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
        var fit = new List<FitRow>();
        foreach (int n in o.Sizes)
        foreach (int bits in o.Bits)
        foreach (CodeData data in o.Kinds)
        {
            MultiIndexData? set = null;
            foreach (bool codes in o.Layouts)
            {
                string label = $"N={n} bits={bits} {data} {(codes ? "codes" : "positions")}";
                set = set is null
                    ? MultiIndexData.Draw(n, bits, data, Seed ^ n ^ (bits * 31) ^ ((int)data << 20), Math.Max(Math.Max(o.Queries, o.MaxQueries), o.Batch ? o.BatchQueries : 0), codes)
                    : set.WithLayout(codes, label);
                string prefix = $"| {(n >= 1_000_000 ? $"{n / 1_000_000}M" : n.ToString())} | {bits} | {data.ToString().ToLowerInvariant()} | {(codes ? "codes" : "positions")} |";
                foreach (QueryType type in s_types)
                {
                    if (o.Batch) BatchRow(set, type, o, prefix);
                    else SingleRow(set, type, o, prefix, fit);
                }
                Console.WriteLine($"// {label}: the door's learnt scan price after these rows: {set.Door.ScanCalibration.Scale:F2} x the model's");
            }
            set = null;
            GC.Collect();
        }
        if (o.Fit) PrintFit(fit);
    }

    private static void SingleRow(MultiIndexData set, QueryType type, Settings o, string prefix, List<FitRow> fit)
    {
        int queries = Math.Min(o.Queries, set.QueryCount);
        var results = new List<Neighbor>();
        var nearest = new Neighbor[100];
        long mihCandidates = 0;
        int viaIndex = 0;
        double Time(int path, int q)
        {
            ReadOnlySpan<ulong> query = set.Query(q);
            long start = ThreadClock.NowNanoseconds();
            switch (path, type.IsRadius)
            {
                case (0, true): results.Clear(); set.Scan.WithinRadius(query, type.Value, results); break;
                case (0, false): set.Scan.TopK(query, type.Value, nearest); break;
                case (1, true):
                    results.Clear();
                    set.Index.TryWithinRadius(query, type.Value, results, SearchBudget.Unlimited, out long c1);
                    mihCandidates += c1;
                    break;
                case (1, false):
                    set.Index.TryTopK(query, type.Value, SearchBudget.Unlimited, nearest, out long c2);
                    mihCandidates += c2;
                    break;
                // The door through its allocation-free overloads, as raw MIH and the scan above: an allocating
                // call costs page faults on fresh memory here (~17 µs a page, `wake-latency`), which on
                // microsecond rows weighed more than either path.
                case (_, true): results.Clear(); set.Door.WithinRadius(query, type.Value, results); break;
                default: set.Door.TopK(query, type.Value, nearest); break;
            }
            return ThreadClock.NowNanoseconds() - start;
        }

        // Warm-up (JIT, pools, page faults); raw MIH far slower than the scan is timed once, not per round.
        double scanWarm = 0, mihWarm = 0, doorWarm = 0;
        var mihOnce = new double[set.QueryCount];
        int mihTimed = 0;
        for (int q = 0; q < queries; q++)
        {
            scanWarm += Time(0, q);
            if (mihTimed == q && mihWarm <= o.MihCap * scanWarm)
            {
                mihWarm += mihOnce[q] = Time(1, q);
                mihTimed++;
            }
            doorWarm += Time(2, q);
        }
        bool mihInRounds = mihTimed == queries && mihWarm <= o.MihCap * scanWarm;
        long warmCandidates = mihCandidates;
        // Enough queries that the fastest path runs about RowMilliseconds a round: a mean over 16 cold
        // microsecond queries moved by 0.1-0.3 between runs of the same build (one interrupt or stray
        // miss is a tenth of such a query), over 128 by a few hundredths (bench/README.md).
        double fastest = Math.Min(scanWarm, Math.Min(doorWarm, mihInRounds ? mihWarm : double.MaxValue)) / queries;
        int wanted = (int)Math.Clamp(Math.Ceiling(o.RowMilliseconds * 1e6 / Math.Max(fastest, 1)), queries, Math.Max(queries, Math.Min(o.MaxQueries, set.QueryCount)));
        for (int q = queries; q < wanted; q++)
        {
            Time(0, q);
            if (mihInRounds) Time(1, q);
            Time(2, q);
        }
        queries = wanted;
        mihCandidates = 0;
        // Rounds interleaved query by query: each query runs on every path back to back (the order
        // cycling through every permutation, PairedStats.Order), so the load of this shared machine hits the three paths alike. Times are the
        // thread's CPU time (a preemption does not count), averaged over rounds and queries: a mean,
        // not a median, so the door's occasional abandoned attempts (the back-off's probes) count in full.
        var times = new double[3, queries, o.Rounds];
        int[] paths = mihInRounds ? [0, 1, 2] : [0, 2];
        // The paths of one step run different queries, a third of the set apart: a path timed right after
        // another on the same query found that query's buckets in the last-level cache (a 1M 64-bit scan
        // does not evict it), which favoured whichever path came second.
        int shift = Math.Max(1, queries / paths.Length);
        for (int round = 0; round < o.Rounds; round++)
        for (int step = 0; step < queries; step++)
        for (int i = 0; i < paths.Length; i++)
        {
            int slot = PairedStats.Order(paths.Length, round + step)[i], path = paths[slot], q = (step + slot * shift) % queries;
            // An untimed scan pass first (another query), so every path starts from the cache state a
            // scan leaves: otherwise the path timed after raw MIH (which evicts the codes) pays for it.
            set.Scan.TopK(set.Query((q + 1) % queries), 1, nearest);
            times[path, q, round] = Time(path, q);
        }
        // Which path the door took, from one untimed pass through the API that says so (the back-off
        // carries on from the rounds).
        for (int q = 0; q < queries; q++)
        {
            SearchResult result = type.IsRadius ? set.Door.WithinRadius(set.Query(q), type.Value) : set.Door.TopK(set.Query(q), type.Value);
            if (result.Path == SearchPath.MultiIndex) viaIndex++;
        }
        double PathTime(int path) => path == 1 && !mihInRounds
            ? mihOnce.Take(mihTimed).Average() * 1e-6
            : Enumerable.Range(0, queries).Sum(q => Enumerable.Range(0, o.Rounds).Average(r => times[path, q, r])) / queries * 1e-6;
        double scan = PathTime(0), mih = PathTime(1), door = PathTime(2);
        double entries = mihInRounds ? mihCandidates / (double)(o.Rounds * queries) : warmCandidates / (double)mihTimed;
        double ratio = door / Math.Min(scan, mih);
        Console.WriteLine($"{prefix} {type} | {PairedStats.FormatMilliseconds(scan)} | {(mihInRounds ? "" : "≥ ")}{PairedStats.FormatMilliseconds(mih)} | " +
            $"{PairedStats.FormatMilliseconds(door)} | {ratio:F2}{(ratio > 1.11 ? " ✗" : "")} | {100.0 * viaIndex / queries:F0}% | {entries:N0} | {queries} |");

        if (mihInRounds)
        {
            var (keys, counted) = type.IsRadius ? CountRadius(set, type.Value, queries) : CountNearest(set, type.Value, queries);
            fit.Add(new FitRow(false, set.Index.Tables.HasCodes, set.Words, keys, counted, mih * 1e6));
            if (o.Fit)
            {
                // What the door's model makes of this row: raw MIH and the scan, each in ns per modelled unit (the
                // counted keys and entries priced as the door prices them); their ratio is how far off the
                // model's break-even is on this row, whatever the machine's speed that day.
                double tableUnits = SearchCostModel.QueryOverhead + keys * SearchCostModel.ProbeCost + counted * SearchCostModel.CandidateCost(set.Index.Tables);
                long n = set.Store.Count;
                double scanUnits = type.IsRadius ? SearchCostModel.ScanCost(n, set.Words) : SearchCostModel.ScanTopKCost(n, set.Words, type.Value);
                double tablesPrice = mih * 1e6 / tableUnits, scanPrice = scan * 1e6 / scanUnits;
                Console.WriteLine($"// model check {type}: tables {tablesPrice:F2} ns a unit ({keys:N0} keys, {counted:N0} entries), scan {scanPrice:F2}, tables / scan {tablesPrice / scanPrice:F2}");
            }
        }
        fit.Add(new FitRow(true, false, set.Words, (double)set.Store.Count * set.Words, type.IsRadius ? 0 : type.Value, scan * 1e6));
    }

    /// <summary>
    /// Keys and bucket entries per query of a k-NN search, counted exactly from the offsets: the search
    /// probes rings (t, j) in order up to the first with t*m + j at least the k-th distance.
    /// </summary>
    private static (double Keys, double Entries) CountNearest(MultiIndexData set, int k, int queries)
    {
        MultiIndexTables tables = set.Index.Tables;
        int m = tables.Split.Count;
        var substrings = new ulong[m];
        RingCount.Estimate total = RingCount.Estimate.Zero;
        for (int q = 0; q < queries; q++)
        {
            Neighbor[] found = set.Index.TopK(set.Query(q), k);
            int kth = found.Length < k ? int.MaxValue : found[^1].Distance;
            tables.Split.ExtractAll(set.Query(q), substrings);
            for (int t = 0, j = 0; ; )
            {
                MultiIndexHashTable table = tables.Tables[j];
                total += RingCount.Count(table, substrings[j], t, t, int.MaxValue);
                if (t * m + j >= kth || t >= table.SubstringBits) break;
                if (++j == m) { j = 0; t++; }
            }
        }
        return (total.Keys / queries, total.Entries / queries);
    }

    /// <summary>Keys and bucket entries per query of a radius search, counted exactly from the offsets.</summary>
    private static (double Keys, double Entries) CountRadius(MultiIndexData set, int radius, int queries)
    {
        MultiIndexTables tables = set.Index.Tables;
        int m = tables.Split.Count, t = radius / m, a = radius % m;
        var substrings = new ulong[m];
        RingCount.Estimate total = RingCount.Estimate.Zero;
        for (int q = 0; q < queries; q++)
        {
            tables.Split.ExtractAll(set.Query(q), substrings);
            for (int j = 0; j < m; j++) total += RingCount.Count(tables.Tables[j], substrings[j], 0, j <= a ? t : t - 1, int.MaxValue);
        }
        return (total.Keys / queries, total.Entries / queries);
    }

    /// <summary>
    /// One row of the batch matrix: the door one query at a time on this thread against its batch API
    /// (all cores), in rounds alternating the order. Both are timed on the wall clock and in CPU time
    /// (the thread's for one at a time, the whole process's for the batch), so a speed-up lost to the
    /// load of a shared machine (wall) can be told from work the batch adds (CPU).
    /// </summary>
    private static void BatchRow(MultiIndexData set, QueryType type, Settings o, string prefix)
    {
        int queries = o.BatchQueries;
        ReadOnlySpan<ulong> Batch() => set.Queries.AsSpan(0, queries * set.Words);
        int viaIndex = 0, batchQueries = 0;
        var answers = new SearchResult[queries]; // the caller's buffer, reused, as one at a time returns each answer by value
        var nearest = new Neighbor[1];
        (double Wall, double Cpu) Time(int path)
        {
            // --cold-rounds: an untimed scan first, so each round starts from the cache state a scan leaves
            // (as every query of the single-query matrix does), not from the last round's same queries.
            if (o.ColdRounds) set.Scan.TopK(set.Query(0), 1, nearest);
            long start = Stopwatch.GetTimestamp();
            double cpu = path == 0 ? ThreadClock.NowNanoseconds() : ThreadClock.ProcessNanoseconds();
            if (path == 0)
            {
                for (int q = 0; q < queries; q++) _ = type.IsRadius ? set.Door.WithinRadius(set.Query(q), type.Value) : set.Door.TopK(set.Query(q), type.Value);
                cpu = ThreadClock.NowNanoseconds() - cpu;
            }
            else
            {
                if (type.IsRadius) set.Door.WithinRadiusBatch(Batch(), type.Value, answers);
                else set.Door.TopKBatch(Batch(), type.Value, answers);
                cpu = ThreadClock.ProcessNanoseconds() - cpu;
                viaIndex += answers.Count(a => a.Path == SearchPath.MultiIndex);
                batchQueries += answers.Length;
            }
            return (Stopwatch.GetElapsedTime(start).TotalMilliseconds / queries, cpu * 1e-6 / queries);
        }

        Time(0);
        Time(1);
        viaIndex = 0;
        batchQueries = 0;
        var helpersBefore = HammingIndex.Search.BatchHelpers.Counters;
        int[] gcBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        var single = new List<(double Wall, double Cpu)>();
        var batch = new List<(double Wall, double Cpu)>();
        for (int round = 0; round < o.Rounds; round++)
        {
            for (int i = 0; i < 2; i++)
            {
                if ((round + i) % 2 == 0) single.Add(Time(0));
                else batch.Add(Time(1));
            }
        }
        double speedUp = PairedStats.Median(single.Zip(batch, (s, b) => s.Wall / b.Wall).ToList());
        var helpersAfter = HammingIndex.Search.BatchHelpers.Counters;
        double cpuRatio = PairedStats.Median(single.Zip(batch, (s, b) => b.Cpu / s.Cpu).ToList());
        Console.WriteLine($"{prefix} {type} | {PairedStats.FormatMilliseconds(PairedStats.Median(single.Select(x => x.Cpu).ToList()))} | " +
            $"{PairedStats.FormatMilliseconds(PairedStats.Median(single.Select(x => x.Wall).ToList()))} | {PairedStats.FormatMilliseconds(PairedStats.Median(batch.Select(x => x.Wall).ToList()))} | " +
            $"{speedUp:F2}x{(speedUp < 1 ? " ✗" : "")} | {cpuRatio:F2} | {100.0 * viaIndex / batchQueries:F0}% | " +
            $"{helpersAfter.Joined - helpersBefore.Joined} / {helpersAfter.Signals - helpersBefore.Signals} of {helpersAfter.Batches - helpersBefore.Batches} | " +
            $"{100.0 * (helpersAfter.HelperItems - helpersBefore.HelperItems) / Math.Max(1, helpersAfter.Items - helpersBefore.Items):F0}% |");
        // Collections during the timed rounds: a background gen-2 collection takes a core from the batch.
        Console.WriteLine($"// {prefix.Trim('|', ' ')} {type}: collections during the rounds gen0 {GC.CollectionCount(0) - gcBefore[0]}, gen1 {GC.CollectionCount(1) - gcBefore[1]}, gen2 {GC.CollectionCount(2) - gcBefore[2]}");
    }

    /// <summary>
    /// Least squares, coefficients at least 0: raw MIH ns = per query + probe × keys + (entry + word ×
    /// words) × entries, per layout; scan ns = word × n × words + per k × k.
    /// </summary>
    private static void PrintFit(List<FitRow> rows)
    {
        Console.WriteLine();
        Console.WriteLine("# cost model fit (ns, least relative squares): MIH = query + probe * keys + (entry + word * words) * entries; scan = word * n * words + k * per-k");
        foreach (bool codes in new[] { true, false })
        {
            FitRow[] r = rows.Where(x => !x.IsScan && x.HasCodes == codes).ToArray();
            if (r.Length < 4) continue;
            // Relative errors: each row divided by its time, so a microsecond radius row weighs as much as
            // a millisecond k-NN row (in absolute terms the largest rows alone set every constant).
            double[] beta = NonNegativeLeastSquares(r.Select(x => new[] { 1, x.Keys, x.Entries, x.Entries * x.Words }.Select(v => v / x.Ns).ToArray()).ToArray(),
                r.Select(_ => 1.0).ToArray());
            Console.WriteLine($"{(codes ? "codes in tables" : "positions only")} ({r.Length} rows): per query {beta[0]:F0}, probe {beta[1]:F1}, entry {beta[2]:F2}, per word {beta[3]:F2}");
        }
        FitRow[] scans = rows.Where(x => x.IsScan).ToArray();
        if (scans.Length >= 2)
        {
            double[] beta = NonNegativeLeastSquares(scans.Select(x => new[] { x.Keys, x.Entries }).ToArray(), scans.Select(x => x.Ns).ToArray());
            Console.WriteLine($"scan ({scans.Length} rows): per word {beta[0]:F3}, per k {beta[1]:F0}");
        }
    }

    /// <summary>
    /// Least squares without intercept and with every coefficient at least 0 (a cost cannot be
    /// negative): the best fit over the subsets of columns whose own fit is non-negative (few columns).
    /// </summary>
    private static double[] NonNegativeLeastSquares(double[][] x, double[] y)
    {
        int p = x[0].Length;
        double[] best = new double[p];
        double bestResidual = y.Sum(v => v * v);
        for (int subset = 1; subset < 1 << p; subset++)
        {
            int[] columns = Enumerable.Range(0, p).Where(c => (subset >> c & 1) != 0).ToArray();
            double[] beta = LeastSquares(x.Select(row => columns.Select(c => row[c]).ToArray()).ToArray(), y);
            if (beta.Any(b => b < 0)) continue;
            var full = new double[p];
            for (int i = 0; i < columns.Length; i++) full[columns[i]] = beta[i];
            double residual = x.Select((row, i) => y[i] - row.Select((v, c) => v * full[c]).Sum()).Sum(e => e * e);
            if (residual < bestResidual) (best, bestResidual) = (full, residual);
        }
        return best;
    }

    /// <summary>Ordinary least squares without intercept, by the normal equations (a few columns).</summary>
    private static double[] LeastSquares(double[][] x, double[] y)
    {
        int p = x[0].Length;
        var a = new double[p, p + 1];
        for (int i = 0; i < x.Length; i++)
        for (int r = 0; r < p; r++)
        {
            for (int c = 0; c < p; c++) a[r, c] += x[i][r] * x[i][c];
            a[r, p] += x[i][r] * y[i];
        }
        for (int col = 0; col < p; col++)
        {
            int pivot = Enumerable.Range(col, p - col).MaxBy(r => Math.Abs(a[r, col]));
            for (int c = 0; c <= p; c++) (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c]);
            if (Math.Abs(a[col, col]) < 1e-12) continue;
            for (int r = 0; r < p; r++)
            {
                if (r == col) continue;
                double f = a[r, col] / a[col, col];
                for (int c = col; c <= p; c++) a[r, c] -= f * a[col, c];
            }
        }
        return Enumerable.Range(0, p).Select(r => Math.Abs(a[r, r]) < 1e-12 ? 0 : a[r, p] / a[r, r]).ToArray();
    }

    private static Settings Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        var flags = new HashSet<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"door-matrix: unexpected argument '{args[i]}'.", nameof(args));
            string key = args[i][2..];
            if (key is "batch" or "fit" or "cold-rounds") flags.Add(key);
            else if (i + 1 < args.Length) values[key] = args[++i];
            else throw new ArgumentException($"door-matrix: --{key} needs a value.", nameof(args));
        }
        T[] List<T>(string key, T[] all, Func<string, T> parse) =>
            values.TryGetValue(key, out string? v) ? v.Split(',').Select(x => parse(x.Trim())).ToArray() : all;
        int Int(string key, int fallback) => values.TryGetValue(key, out string? v) ? int.Parse(v) : fallback;
        double Double(string key, double fallback) => values.TryGetValue(key, out string? v) ? double.Parse(v) : fallback;
        if (values.ContainsKey("helper-spin")) // ms the batch helpers spin after a batch (ScanOptions.HelperSpin)
            MultiIndexData.DoorOptions = new HammingIndex.Search.ScanOptions { HelperSpin = TimeSpan.FromMilliseconds(Double("helper-spin", 2)) };
        return new Settings(
            List("n", [1_000_000, 10_000_000], int.Parse),
            List("bits", [64, 128, 256], int.Parse),
            List("data", [CodeData.Uniform, CodeData.Clustered], x => Enum.Parse<CodeData>(x, ignoreCase: true)),
            List("layout", [false, true], x => x switch
            {
                "codes" => true,
                "positions" => false,
                _ => throw new ArgumentException($"door-matrix: --layout takes 'codes' and/or 'positions', not '{x}'.", nameof(args)),
            }),
            Int("rounds", 3),
            Int("queries", 16),
            Int("max-queries", 128),
            Double("row-ms", 2),
            flags.Contains("batch"),
            Int("batch-queries", 1000),
            flags.Contains("fit"),
            Double("mih-cap", 20),
            flags.Contains("cold-rounds"));
    }
}
