using System.Diagnostics;
using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// The mapped tables (format v3, built out of core into a file) against the same tables built in native
/// memory, and both against the scan, in one process: build wall time and peak RSS, bytes per code, open
/// time, full verify, then per query (interleaved, order alternating) radius-r and k-NN latency of each,
/// and every answer compared with the scan's.
/// Run: <c>nice dotnet run -c Release --project bench/HammingIndex.Benchmarks -- mapped-tables --n 10000000
/// [--bits 64] [--data uniform|clustered] [--centres 1000000] [--queries 100] [--radius 3] [--k 10]
/// [--m 0] [--codes false] [--budget-mib 2048] [--dir /tmp] [--cold true] [--huge-pages false]</c>; --cold drops the tables file from the page
/// cache before it is opened, as after a reboot (the build leaves it cached in the 4 KiB pages it wrote through). The store and tables files go to a
/// temporary folder under --dir, removed at the end.
/// </summary>
public static class MappedTablesRun
{
    public static void Run(string[] args)
    {
        var o = Parse(args);
        NativeBlocks.UseHugePages = o.HugePages; // false: every image and block in 4 KiB pages, mapped tables advised for random access
        string directory = Directory.CreateDirectory(Path.Combine(o.Dir, "mapped-tables-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        try
        {
            RunIn(o, directory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void RunIn(Options o, string directory)
    {
        string storePath = Path.Combine(directory, "codes.hstore"), tablesPath = storePath + MultiIndexHash.FileExtension;
        Console.WriteLine($"# mapped-tables: n {o.N:N0}, {o.Bits} bits, {o.Data}{(o.Data == "clustered" ? $" ({o.Centres:N0} centres, p = 0.1)" : "")}, " +
            $"{o.Queries} queries, radius {o.Radius}, {o.K}-NN, m {(o.M == 0 ? "auto" : o.M)}, codes in tables {o.Codes?.ToString() ?? "auto"}, budget {o.BudgetMiB} MiB, " +
            $"{Environment.ProcessorCount} cores, {(System.Runtime.Intrinsics.X86.Avx512BW.IsSupported ? "Avx512" : System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "Avx2" : "scalar")}");
        var watch = Stopwatch.StartNew();
        using CodeStore store = CodeStore.Create(storePath, o.Bits);
        var generator = new Generator(o.Bits, o.Data == "clustered" ? o.Centres : 0, seed: 20261127);
        Generate(store, generator, o.N);
        store.Flush();
        ulong[] queries = generator.Queries(o.Queries);
        Console.WriteLine($"generate + flush: {watch.Elapsed.TotalSeconds:F1} s, store {new FileInfo(storePath).Length / (double)o.N:F1} B/code");

        var options = new MultiIndexOptions { SubstringCount = o.M, CodesInTables = o.Codes, BuildMemoryBudgetBytes = (long)o.BudgetMiB << 20 };
        ResetPeak();
        long rssBefore = Rss();
        watch.Restart();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        MultiIndexHash built = MultiIndexHash.Build(store, tablesPath, options);
        double buildSeconds = watch.Elapsed.TotalSeconds, buildCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        long peak = Peak();
        long fileBytes = new FileInfo(tablesPath).Length;
        Console.WriteLine($"mapped build: {buildSeconds:F1} s wall, {buildCpu:F1} s CPU, peak RSS {peak / 1048576.0:F0} MiB (RSS before {rssBefore / 1048576.0:F0} MiB), " +
            $"m = {built.SubstringCount} [{string.Join(",", built.SubstringLengths)}], layouts [{string.Join(",", built.Tables.Tables.Select(t => t.IsDirect ? "direct" : $"two-level h={t.Shape.DirectoryBits} low={t.Shape.LowBytes}B"))}], " +
            $"tables {fileBytes / (double)o.N:F2} B/code ({fileBytes / 1048576.0:F0} MiB){(built.Tables.HasCodes ? ", codes in tables" : ", positions only")}");
        built = null!;
        GC.Collect();
        GC.WaitForPendingFinalizers();

        if (o.Cold)
        {
            using var file = new FileStream(tablesPath, FileMode.Open, FileAccess.Read);
            ReadAhead.DropCached(file.SafeFileHandle); // written and synced: only clean pages, dropped
        }
        var opens = new List<double>();
        MultiIndexHash mapped = null!;
        for (int i = 0; i < 5; i++)
        {
            watch.Restart();
            mapped = MultiIndexHash.Open(store, tablesPath, options);
            opens.Add(watch.Elapsed.TotalMilliseconds);
        }
        watch.Restart();
        mapped.Verify();
        Console.WriteLine($"open: median {PairedStats.Median(opens):F2} ms of 5 (header, bounds, store digest); verify (stream every section's checksum): {watch.Elapsed.TotalSeconds:F2} s");
        Console.WriteLine($"tables mapped in huge pages after verify: {Machine.ProcFields.ReadMapped(tablesPath, "FilePmdMapped:") / 1024} MiB of {fileBytes >> 20} MiB" +
            $"{(o.Cold ? ", opened cold" : "")} (every file map of the process: {Machine.ProcFields.Read("/proc/self/smaps_rollup", "FilePmdMapped:") / 1024} MiB)");

        ResetPeak();
        watch.Restart();
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var native = new MultiIndexHash(store, options);
        Console.WriteLine($"native-memory build (same code, output in RAM): {watch.Elapsed.TotalSeconds:F1} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s CPU, peak RSS {Peak() / 1048576.0:F0} MiB, tables {native.TableBytes / (double)o.N:F2} B/code");

        if (native.Tables.Tables.All(t => t.IsDirect) && o.N <= int.MaxValue)
        {
            // The pre-v3 managed build of the same direct tables (positions only), one table after another on one core, for scale.
            StoreMemory memory = store.AcquireMemory(out long count, out _);
            try
            {
                watch.Restart();
                cpu = Process.GetCurrentProcess().TotalProcessorTime;
                for (int j = 0; j < native.SubstringCount; j++)
                {
                    var (offsets, positions) = LegacyDirectBuild.Build(memory, (int)count, native.Tables.Split, j);
                    if (!positions.AsSpan().SequenceEqual(native.Tables.Tables[j].Positions) || !offsets.AsSpan().SequenceEqual(native.Tables.Tables[j].Offsets))
                        throw new InvalidOperationException($"table {j}: the legacy build differs from the v3 build");
                }
                Console.WriteLine($"legacy managed build (v2 arrays, direct, positions only, one core): {watch.Elapsed.TotalSeconds:F1} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s CPU; same positions and offsets as v3");
            }
            finally
            {
                memory.Release();
            }
        }

        var scan = new ScanSearcher(store);
        int words = store.Layout.WordsPerCode;
        var times = new Dictionary<string, List<double>>();
        void Time(string key, Action action)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            (times.TryGetValue(key, out var list) ? list : times[key] = []).Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        int mismatches = 0;
        for (int q = 0; q < o.Queries; q++)
        {
            ReadOnlySpan<ulong> query = queries.AsSpan(q * words, words);
            ulong[] copy = query.ToArray();
            Neighbor[] mr = [], nr = [], mk = [], nk = [];
            bool mappedFirst = q % 2 == 0;
            for (int pass = 0; pass < 2; pass++)
            {
                if ((pass == 0) == mappedFirst)
                {
                    Time("mapped radius", () => mr = mapped.WithinRadius(copy, o.Radius));
                    Time("mapped knn", () => mk = mapped.TopK(copy, o.K));
                }
                else
                {
                    Time("native radius", () => nr = native.WithinRadius(copy, o.Radius));
                    Time("native knn", () => nk = native.TopK(copy, o.K));
                }
            }
            Neighbor[] sr = [], sk = [];
            if (q < o.ScanQueries)
            {
                Time("scan radius", () => sr = scan.WithinRadius(copy, o.Radius));
                Time("scan knn", () => sk = scan.TopK(copy, o.K));
                if (!sr.SequenceEqual(mr) || !sr.SequenceEqual(nr)) mismatches++;
                if (!sk.SequenceEqual(mk) || !sk.SequenceEqual(nk)) mismatches++;
            }
        }
        string Line(string key) => $"median {PairedStats.FormatMilliseconds(PairedStats.Median(times[key]))}, p99 {PairedStats.FormatMilliseconds(Quantile(times[key], 0.99))}";
        foreach (string kind in new[] { "radius", "knn" })
        {
            double m = PairedStats.Median(times[$"mapped {kind}"]), n = PairedStats.Median(times[$"native {kind}"]), s = PairedStats.Median(times[$"scan {kind}"]);
            Console.WriteLine($"{(kind == "radius" ? $"radius {o.Radius}" : $"{o.K}-NN"),-9} mapped {Line($"mapped {kind}")} | native {Line($"native {kind}")} | scan {Line($"scan {kind}")} | mapped/native {m / n:F2}x, scan/mapped {s / m:F0}x");
        }
        Console.WriteLine($"exactness: {mismatches} mismatches against the scan over {Math.Min(o.Queries, o.ScanQueries)} queries x 2 kinds");
        GC.KeepAlive(native);
    }

    private static void Generate(CodeStore store, Generator generator, long n)
    {
        const int chunk = 1 << 20;
        int words = store.Layout.WordsPerCode;
        var codes = new ulong[chunk * words];
        var ids = new long[chunk];
        for (long start = 0; start < n; start += chunk)
        {
            int count = (int)Math.Min(chunk, n - start);
            generator.Fill(start, codes.AsSpan(0, count * words));
            for (int i = 0; i < count; i++) ids[i] = start + i;
            store.AppendRange(codes.AsSpan(0, count * words), ids.AsSpan(0, count));
        }
    }

    /// <summary>Uniform codes, or codes drawn from random centres with each bit flipped with p = 0.1; seeded per code, so any chunking gives the same codes.</summary>
    private sealed class Generator(int bits, int centres, ulong seed)
    {
        private readonly int _words = (bits + 63) / 64;
        private ulong[]? _centres;

        private ulong Mask(int w) => w < _words - 1 || bits % 64 == 0 ? ulong.MaxValue : (1UL << (bits % 64)) - 1;

        public void Fill(long first, Span<ulong> codes)
        {
            if (centres > 0 && _centres is null)
            {
                _centres = new ulong[centres * _words];
                ulong state = seed ^ 0xC0FFEE;
                for (int i = 0; i < _centres.Length; i++) _centres[i] = Next(ref state) & Mask(i % _words);
            }
            int count = codes.Length / _words;
            ulong[] buffer = new ulong[codes.Length];
            Parallel.For(0, (count + 65535) / 65536, part =>
            {
                for (int i = part * 65536, end = Math.Min(count, i + 65536); i < end; i++) Code(first + i, buffer.AsSpan(i * _words, _words));
            });
            buffer.CopyTo(codes);
        }

        public ulong[] Queries(int count)
        {
            var queries = new ulong[count * _words];
            for (int q = 0; q < count; q++) Code(-1 - q, queries.AsSpan(q * _words, _words));
            return queries;
        }

        private void Code(long index, Span<ulong> code)
        {
            ulong state = seed ^ ((ulong)index * 0x9E3779B97F4A7C15UL) | 1;
            if (_centres is null)
            {
                for (int w = 0; w < _words; w++) code[w] = Next(ref state) & Mask(w);
                return;
            }
            int c = (int)((Next(ref state) >> 32) * (ulong)centres >> 32);
            _centres.AsSpan(c * _words, _words).CopyTo(code);
            for (int b = 0; b < bits; b++)
                if ((Next(ref state) >> 40) < (ulong)(0.1 * (1 << 24))) code[b >> 6] ^= 1UL << (b & 63);
        }

        private static ulong Next(ref ulong state)
        {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            return state * 0x2545F4914F6CDD1DUL;
        }
    }

    private static double Quantile(List<double> values, double p)
    {
        double[] sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    /// <summary>Resets the kernel's peak-RSS mark of this process (Linux: /proc/self/clear_refs "5").</summary>
    private static void ResetPeak()
    {
        GC.Collect();
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static long Peak() => Status("VmHWM:");

    private static long Rss() => Status("VmRSS:");

    private static long Status(string field)
    {
        long kib = Machine.ProcFields.Read("/proc/self/status", field);
        return kib < 0 ? -1 : kib * 1024;
    }

    private sealed record Options(long N, int Bits, string Data, int Centres, int Queries, int ScanQueries, int Radius, int K, int M, bool? Codes, long BudgetMiB, string Dir, bool Cold, bool HugePages);

    private static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"mapped-tables: expected --name value pairs, got '{args[i]}'.", nameof(args));
            values[args[i][2..]] = args[i + 1];
        }
        string Get(string key, string fallback) => values.Remove(key, out string? v) ? v : fallback;
        string codes = Get("codes", "auto");
        var o = new Options(long.Parse(Get("n", "10000000")), int.Parse(Get("bits", "64")), Get("data", "uniform"), int.Parse(Get("centres", "1000000")),
            int.Parse(Get("queries", "100")), int.Parse(Get("scan-queries", "100")), int.Parse(Get("radius", "3")), int.Parse(Get("k", "10")),
            int.Parse(Get("m", "0")), codes == "auto" ? null : bool.Parse(codes),
            long.Parse(Get("budget-mib", "2048")), Path.GetFullPath(Get("dir", Path.GetTempPath())), bool.Parse(Get("cold", "false")), bool.Parse(Get("huge-pages", "true")));
        if (values.Count > 0) throw new ArgumentException($"mapped-tables: unknown option --{values.Keys.First()}.", nameof(args));
        if (o.Data is not ("uniform" or "clustered")) throw new ArgumentException($"mapped-tables: --data is uniform or clustered, not '{o.Data}'.", nameof(args));
        return o;
    }
}
