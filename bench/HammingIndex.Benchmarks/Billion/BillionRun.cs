using System.Diagnostics;
using System.Globalization;
using HammingIndex.Kernels;
using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Storage;
using HammingIndex.Training.IO;

namespace HammingIndex.Benchmarks.Billion;

/// <summary>
/// One row of the billion-scale table (issue 13) for a store made by <c>hamming generate</c> and its
/// query file: build the tables (wall time, peak RSS, disk bytes per code of store and tables), reopen
/// (time), radius and k-NN per query (median and p99, warm; and cold: the page cache dropped and the
/// store and tables reopened before each query, skipped with a message when /proc/sys/vm/drop_caches is
/// not writable), the scan's time per query in the same run, and exactness: every answer compared with a
/// batched scan (all queries in one pass over the store). Prints one markdown row.
/// Run (bench/billion/run.sh does it for both kinds):
/// <c>dotnet run -c Release --project bench/HammingIndex.Benchmarks -- billion --store u.hstore --queries u.codes
/// [--kind uniform] [--radius 3] [--k 10] [--cold 10] [--scan-queries 5] [--knn-queries 100] [--substrings 0] [--codes-in-tables false]</c>.
/// <c>--knn-queries</c> limits the k-NN queries (exactness, warm and cold) to the first few: uniform 10-NN
/// at 10^9 with m = 2 probes most of the tables per query (its radius is about 15 of 64 bits).
/// </summary>
public static class BillionRun
{
    private sealed record Settings(string Store, string Queries, string Kind, int Radius, int K, int Cold, int ScanQueries,
        int Substrings, bool? CodesInTables, bool Header, int KnnQueries);

    /// <summary>
    /// The one place the tables are built and opened: the out-of-core build straight into a mapped
    /// tables file (format v3), and the map of a saved one.
    /// </summary>
    private static class Tables
    {
        public static MultiIndexHash Build(CodeStore store, string path, MultiIndexOptions options) => MultiIndexHash.Build(store, path, options);

        public static MultiIndexHash Open(CodeStore store, string path, MultiIndexOptions options) => MultiIndexHash.Open(store, path, options);
    }

    public static void Run(string[] args)
    {
        Settings o = Parse(args);
        if (o.Header)
        {
            Console.WriteLine($"# billion: kernel path {HammingKernels.DefaultPath}, {Environment.ProcessorCount} cores, {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
            Console.WriteLine($"| N | data | m | build | peak RSS (anon) | store B/code | tables B/code | open | r ≤ {o.Radius} warm median / p99 | {o.K}-NN warm median / p99 | r ≤ {o.Radius} cold median / p99 | {o.K}-NN cold median / p99 | scan / query ({o.K}-NN) | speed-up r ≤ {o.Radius} / {o.K}-NN | mismatches |");
            Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        }
        ulong[] queries = ReadQueries(o.Queries, out int bits);
        string tablesPath = o.Store + MultiIndexHash.FileExtension;
        var options = new MultiIndexOptions { SubstringCount = o.Substrings, CodesInTables = o.CodesInTables };

        // Build, in a fresh process that so far only generated nothing: VmHWM is the build's peak.
        long n;
        int m;
        double buildSeconds;
        using (var sampler = new AnonSampler())
        using (CodeStore store = CodeStore.Open(o.Store))
        {
            if (store.Bits != bits) throw new InvalidDataException($"{o.Queries}: {bits}-bit queries for a store of {store.Bits}-bit codes.");
            n = store.LiveCount;
            var clock = Stopwatch.StartNew();
            MultiIndexHash built = Tables.Build(store, tablesPath, options);
            buildSeconds = clock.Elapsed.TotalSeconds;
            m = built.SubstringCount;
            sampler.Stop();
            Console.Error.WriteLine($"built m = {m} tables over {n:N0} codes in {buildSeconds:F1} s; VmHWM {Status("VmHWM") / 1048576.0:F2} GiB, peak anon {sampler.PeakAnon / 1073741824.0:F2} GiB");
        }
        double peakRss = Status("VmHWM") * 1024.0, peakAnon = AnonSampler.LastPeak;
        double storeBytes = AllocatedBytes(o.Store) / (double)n, tableBytes = AllocatedBytes(tablesPath) / (double)n;

        bool canDrop = DropPageCache(out string? why);
        if (!canDrop) Console.Error.WriteLine($"cold runs skipped: {why}");

        // The store's content digest (what binds the tables to it): one checksum record per block, read cold.
        using (CodeStore store = CodeStore.Open(o.Store))
        {
            if (canDrop) DropPageCache(out _);
            StoreMemory memory = store.AcquireMemory(out long count, out long generation);
            long start = Stopwatch.GetTimestamp();
            memory.ContentDigest(count, generation);
            Console.Error.WriteLine($"store digest over {(count + memory.BlockCapacity - 1) / memory.BlockCapacity:N0} blocks: {Stopwatch.GetElapsedTime(start).TotalMilliseconds:F1} ms{(canDrop ? " cold" : "")}");
            memory.Release();
        }

        // Open: once untimed (JIT), then timed, after dropping the page cache when permitted.
        CodeStore opened = CodeStore.Open(o.Store);
        Tables.Open(opened, tablesPath, options);
        opened.Dispose();
        if (canDrop) DropPageCache(out _);
        var openClock = Stopwatch.StartNew();
        opened = CodeStore.Open(o.Store);
        double storeOpenMs = openClock.Elapsed.TotalMilliseconds;
        MultiIndexHash index = Tables.Open(opened, tablesPath, options);
        double openMs = openClock.Elapsed.TotalMilliseconds;
        try
        {
            int words = opened.Layout.WordsPerCode, q = queries.Length / words;
            ReadOnlySpan<ulong> Query(int i) => queries.AsSpan(i * words, words);

            // Exactness: every answer against one batched scan pass per query type.
            var scan = new ScanSearcher(opened);
            Neighbor[][] scanRadius = scan.WithinRadiusBatch(queries, o.Radius);
            int knn = Math.Min(o.KnnQueries, q);
            Neighbor[][] scanTopK = scan.TopKBatch(queries.AsSpan(0, knn * words), o.K);
            int mismatches = 0;
            for (int i = 0; i < q; i++)
            {
                if (!index.WithinRadius(Query(i), o.Radius).AsSpan().SequenceEqual(scanRadius[i])) mismatches++;
                if (i < knn && !index.TopK(Query(i), o.K).AsSpan().SequenceEqual(scanTopK[i])) mismatches++;
            }

            // Warm: a pass to warm, then one timed pass per query type.
            double[] radiusWarm = Time(q, i => index.WithinRadius(Query(i), o.Radius));
            double[] topKWarm = Time(knn, i => index.TopK(Query(i), o.K));
            int scanCount = Math.Min(o.ScanQueries, q);
            double[] scanTimes = Time(scanCount, i => scan.TopK(Query(i), o.K));
            double radiusHits = scanRadius.Average(a => (double)a.Length);

            // Cold: page cache dropped, store and tables reopened, one query.
            double[]? radiusCold = null, topKCold = null;
            if (canDrop && o.Cold > 0)
            {
                int cold = Math.Min(o.Cold, q);
                radiusCold = new double[cold];
                topKCold = new double[Math.Min(cold, knn)];
                for (int i = 0; i < cold; i++)
                {
                    (index, opened) = Reopen(index, opened, o.Store, tablesPath, options);
                    radiusCold[i] = TimeOne(() => index.WithinRadius(Query(i), o.Radius));
                    if (i >= knn) continue;
                    (index, opened) = Reopen(index, opened, o.Store, tablesPath, options);
                    topKCold[i] = TimeOne(() => index.TopK(Query(i), o.K));
                }
            }

            double scanMedian = Percentile(scanTimes, 0.5);
            string row = string.Join(" | ",
                Count(n), o.Kind, m.ToString(CultureInfo.InvariantCulture), Seconds(buildSeconds),
                $"{Gib(peakRss)} ({Gib(peakAnon)})", F1(storeBytes), F1(tableBytes), $"{Ms(openMs)} ({Ms(storeOpenMs)} store){(canDrop ? " cold" : "")}",
                Pair(radiusWarm), Pair(topKWarm),
                radiusCold is null ? "skipped" : Pair(radiusCold), topKCold is null ? "skipped" : Pair(topKCold),
                Ms(scanMedian), $"{Ratio(scanMedian / Percentile(radiusWarm, 0.5))} / {Ratio(scanMedian / Percentile(topKWarm, 0.5))}",
                $"{mismatches} of {q + knn}");
            Console.WriteLine($"| {row} |");
            Console.Error.WriteLine($"{Count(n)} {o.Kind}: r = {o.Radius}, {o.K}-NN, {q} queries ({knn} k-NN), {radiusHits:F1} codes within r per query on average; times in ms per query");
            if (mismatches > 0) Environment.ExitCode = 1;
        }
        finally
        {
            opened.Dispose();
        }
    }

    private static (MultiIndexHash, CodeStore) Reopen(MultiIndexHash index, CodeStore store, string path, string tablesPath, MultiIndexOptions options)
    {
        _ = index;
        store.Dispose();
        DropPageCache(out _);
        CodeStore fresh = CodeStore.Open(path);
        return (Tables.Open(fresh, tablesPath, options), fresh);
    }

    private static double[] Time(int count, Action<int> query)
    {
        for (int i = 0; i < count; i++) query(i); // warm
        var times = new double[count];
        for (int i = 0; i < count; i++) times[i] = TimeOne(() => query(i));
        return times;
    }

    private static double TimeOne(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Percentile(double[] values, double p)
    {
        if (values.Length == 0) return double.NaN;
        double[] sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static string Ratio(double r) => r >= 10 ? $"{r:F0}x" : $"{r:F1}x";

    private static string Pair(double[] ms) => $"{Ms(Percentile(ms, 0.5))} / {Ms(Percentile(ms, 0.99))}";

    private static string Ms(double ms) => ms >= 100 ? $"{ms:F0} ms" : ms >= 1 ? $"{ms:F2} ms" : $"{ms * 1000:F0} µs";

    private static string Seconds(double s) => s >= 120 ? $"{s / 60:F1} min" : $"{s:F1} s";

    private static string Gib(double bytes) => bytes >= 1 << 30 ? $"{bytes / (1 << 30):F2} GiB" : $"{bytes / (1 << 20):F0} MiB";

    private static string F1(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

    private static string Count(long n) => n >= 1_000_000_000 && n % 1_000_000_000 == 0 ? $"{n / 1_000_000_000}G"
        : n >= 1_000_000 && n % 1_000_000 == 0 ? $"{n / 1_000_000}M" : n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Drops the page cache (sync, then 3 into /proc/sys/vm/drop_caches); false with the reason when not permitted.</summary>
    private static bool DropPageCache(out string? why)
    {
        why = null;
        try
        {
            using (Process sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false })!) sync.WaitForExit();
            File.WriteAllText("/proc/sys/vm/drop_caches", "3");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            why = $"cannot drop the page cache ({e.Message.Trim()}); run as root on Linux for cold figures";
            return false;
        }
    }

    /// <summary>Bytes the file occupies on disk (allocated blocks, so sparse regions do not count), from du.</summary>
    private static long AllocatedBytes(string path)
    {
        var info = new ProcessStartInfo("du", ["-B1", path]) { RedirectStandardOutput = true, UseShellExecute = false };
        using Process du = Process.Start(info)!;
        string output = du.StandardOutput.ReadToEnd();
        du.WaitForExit();
        return long.Parse(output.Split('\t')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>A line of /proc/self/status in bytes (kB fields), or 0 where there is none.</summary>
    private static long Status(string field)
    {
        if (!File.Exists("/proc/self/status")) return 0;
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            string[] parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries); // "VmHWM:\t23408556 kB": no space after the tab once the value is 8 digits
            return long.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        return 0;
    }

    /// <summary>
    /// Samples RssAnon (anonymous memory: the build's own, not the mapped store's pages, which VmHWM
    /// also counts) every 50 ms and keeps the peak.
    /// </summary>
    private sealed class AnonSampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;

        public AnonSampler() => _timer = new Timer(_ => Sample(), null, 0, 50);

        public static double LastPeak { get; private set; }

        public long PeakAnon => Interlocked.Read(ref _peak);

        private void Sample()
        {
            long anon = Status("RssAnon") * 1024;
            long seen;
            while (anon > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, anon, seen) != seen)
            {
            }
        }

        public void Stop()
        {
            Sample();
            _timer.Dispose();
            LastPeak = PeakAnon;
        }

        public void Dispose() => Stop();
    }

    private static ulong[] ReadQueries(string path, out int bits)
    {
        RawCodeReader reader = RawCodeReader.Open(path);
        try
        {
            bits = reader.Layout.Bits;
            int words = reader.Layout.WordsPerCode;
            var codes = new ulong[checked((int)(reader.Count * words))];
            var ids = new long[reader.Count];
            int done = 0, n;
            while (done < reader.Count && (n = reader.ReadAsync(codes.AsMemory(done * words), ids.AsMemory(done)).AsTask().GetAwaiter().GetResult()) > 0) done += n;
            return codes;
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static Settings Parse(string[] args)
    {
        string? store = null, queries = null, kind = "uniform";
        int radius = 3, k = 10, cold = 10, scanQueries = 5, substrings = 0, knnQueries = int.MaxValue;
        bool? codesInTables = null;
        bool header = false;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--store": store = Next(); break;
                case "--queries": queries = Next(); break;
                case "--kind": kind = Next(); break;
                case "--radius": radius = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--k": k = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--cold": cold = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--scan-queries": scanQueries = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--knn-queries": knnQueries = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--substrings": substrings = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--codes-in-tables": codesInTables = bool.Parse(Next()); break;
                case "--header": header = true; break;
                default: throw new ArgumentException($"billion: unknown option {args[i]}.");
            }
        }
        if (store is null || queries is null) throw new ArgumentException("billion: --store and --queries are required.");
        return new Settings(store, queries, kind, radius, k, cold, Math.Max(1, scanQueries), substrings, codesInTables, header, Math.Max(1, knnQueries));
    }
}
