using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using HammingIndex.Kernels;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Benchmarks.Scan;

/// <summary>
/// Top-10 exact scan of N 64-bit codes, per kernel path: one query; a batch of 100 queries on all cores
/// (and on one core); the same 100 queries one by one; and a plain read-bandwidth baseline over the same
/// code bytes, measured in the same run so the scan is reported as a fraction of it.
/// Run: <c>dotnet run -c Release --project bench/HammingIndex.Benchmarks -- --filter '*ScanBenchmarks*'</c>.
/// </summary>
[Config(typeof(ShortScanConfig))]
public class ScanBenchmarks
{
    public const int BatchSize = 100;
    private const int K = 10;

    private CodeStore _store = null!;
    private CodeStoreSnapshot _snapshot = null!;
    private ScanSearcher _searcher = null!;
    private ScanSearcher _searcherOneCore = null!;
    private ulong[] _queries = null!;
    private readonly Neighbor[] _results = new Neighbor[BatchSize * K];
    private readonly int[] _counts = new int[BatchSize];

    /// <summary>Number of codes in the store.</summary>
    [Params(1_000_000, 10_000_000)]
    public int N { get; set; }

    /// <summary>The kernel path of the scan (the baseline does not depend on it).</summary>
    [ParamsSource(nameof(Paths))]
    public KernelPath Path { get; set; }

    public static IEnumerable<KernelPath> Paths => HammingKernels.SupportedPaths;

    [GlobalSetup]
    public void Setup()
    {
        _store = ScanPairedRun.BuildStore(N, out _queries);
        _snapshot = _store.AcquireSnapshot();
        _searcher = new ScanSearcher(_store, new ScanOptions { KernelPath = Path });
        _searcherOneCore = new ScanSearcher(_store, new ScanOptions { KernelPath = Path, MaxDegreeOfParallelism = 1 });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _snapshot.Dispose();
        _store.Dispose();
    }

    /// <summary>Reads every code byte once with the widest vectors the CPU has (add-accumulate, four independent chains): the memory-bandwidth ceiling of one core.</summary>
    [Benchmark(Baseline = true)]
    public ulong ReadBandwidthBaseline() => ScanPairedRun.ReadAll(_snapshot);

    /// <summary>One top-10 query on the calling thread.</summary>
    [Benchmark]
    public int TopK1() => _searcher.TopK(_queries.AsSpan(0, 1), K, _results);

    /// <summary>100 top-10 queries one by one on the calling thread.</summary>
    [Benchmark]
    public int TopK100OneByOne()
    {
        int total = 0;
        for (int q = 0; q < BatchSize; q++) total += _searcher.TopK(_queries.AsSpan(q, 1), K, _results);
        return total;
    }

    /// <summary>100 top-10 queries as one batch on all cores.</summary>
    [Benchmark]
    public int TopK100Batch()
    {
        _searcher.TopKBatch(_queries, K, _results, _counts);
        return _counts[0];
    }

    /// <summary>100 top-10 queries as one batch on one core (query blocking alone).</summary>
    [Benchmark]
    public int TopK100BatchOneCore()
    {
        _searcherOneCore.TopKBatch(_queries, K, _results, _counts);
        return _counts[0];
    }

    /// <summary>Few iterations (the machine is shared), plus throughput columns.</summary>
    private sealed class ShortScanConfig : ManualConfig
    {
        public ShortScanConfig()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(5)
                .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250)));
            AddColumn(StatisticColumn.Median, StatisticColumn.Min);
            AddColumn(new ScanThroughputColumn(ScanThroughputColumn.Kind.CodesPerSecond),
                new ScanThroughputColumn(ScanThroughputColumn.Kind.GigabytesPerSecond),
                new ScanThroughputColumn(ScanThroughputColumn.Kind.PercentOfBaseline));
        }
    }
}
