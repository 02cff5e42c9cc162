using System.Diagnostics;
using System.Net;
using HammingIndex.Benchmarks.MultiIndex;
using HammingIndex.Kernels;
using HammingIndex.MultiIndex;
using HammingIndex.Orleans.Client;
using HammingIndex.Orleans.Hosting;

namespace HammingIndex.Benchmarks.Orleans;

/// <summary>
/// The sharded index on 1, 2 and 4 silo processes on loopback against one in-process front door over
/// the same codes: queries/s and latency percentiles of lone 10-NN queries and of 1,000-query batches,
/// measured side by side (in-process and cluster alternate query by query, batch by batch), and every
/// cluster answer checked against the in-process one. The index has a fixed shard count (4), loaded
/// once through the largest cluster; the other silo counts reopen the same shard files. Run from the
/// repository root, after <c>dotnet build src/HammingIndex.Orleans.Silo -c Release</c>:
/// <c>dotnet run -c Release --project bench/HammingIndex.Benchmarks -- orleans-shards [n] [silos] [singles] [batches]</c>
/// (defaults 10000000, 1,2,4, 300, 5; 64-bit clustered codes as in mih-paired).
/// </summary>
public static class OrleansShardsRun
{
    private const int Bits = 64, K = 10, BatchSize = 1000, Shards = 4, Seed = 4242;
    private const string IndexName = "bench";

    public static void Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task RunAsync(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 10_000_000;
        int[] siloCounts = args.Length > 1 ? args[1].Split(',').Select(int.Parse).ToArray() : [1, 2, 4];
        int singles = args.Length > 2 ? int.Parse(args[2]) : 300;
        int batches = args.Length > 3 ? int.Parse(args[3]) : 5;

        if (!File.Exists(LoopbackSilos.SiloDll))
            throw new FileNotFoundException($"Build the silo host first (dotnet build src/HammingIndex.Orleans.Silo -c Release) and run from the repository root.", LoopbackSilos.SiloDll);
        var watch = Stopwatch.StartNew();
        MultiIndexData data = MultiIndexData.Draw(n, Bits, CodeData.Clustered, Seed, BatchSize);
        Console.WriteLine($"# Orleans shards: {n:N0} {Bits}-bit clustered codes, {Shards} shards, {K}-NN, lone queries: {singles}, batches: {batches} x {BatchSize}; " +
            $"scan kernel path {HammingKernels.DefaultPath}, {Environment.ProcessorCount} cores; data + in-process tables {watch.Elapsed.TotalSeconds:F0} s");
        Console.WriteLine("| silos | mode | in-process q/s | cluster q/s | cluster / in-process | in-process p50 / p95 / p99 | cluster p50 / p95 / p99 | answers equal |");
        Console.WriteLine("|---:|---|---:|---:|---:|---|---|---|");

        string work = Directory.CreateTempSubdirectory("hamming-orleans-bench-").FullName;
        var silos = new LoopbackSilos(Path.Combine(work, "cluster"), Path.Combine(work, "shards"), siloPort: 22111, gatewayPort: 41000);
        bool loaded = false;
        try
        {
            foreach (int count in siloCounts.OrderByDescending(c => c))
            {
                silos.Start(count);
                try
                {
                    IPEndPoint[] gateways = Enumerable.Range(0, count).Select(i => new IPEndPoint(IPAddress.Loopback, silos.GatewayPort + i)).ToArray();
                    await using ShardClusterClient client = await ShardClusterClient.ConnectAsync(gateways, ShardClusterClient.DefaultClusterId, TimeSpan.FromMinutes(1));
                    var options = new ShardedIndexOptions { ShardTimeout = TimeSpan.FromMinutes(5) };
                    ShardedCodeIndex index;
                    if (!loaded)
                    {
                        watch.Restart();
                        index = await ShardedCodeIndex.CreateAsync(client.Client, IndexName, Bits, Shards, options);
                        await index.AddStoreAsync(data.Store);
                        await index.FlushAsync();
                        Console.WriteLine($"# loaded and flushed {n:N0} codes through {count} silos in {watch.Elapsed.TotalSeconds:F0} s (tables built on the shards)");
                        loaded = true;
                    }
                    else
                    {
                        watch.Restart();
                        index = await ShardedCodeIndex.OpenAsync(client.Client, IndexName, options);
                        long live = await index.CountAsync();
                        Console.WriteLine($"# {count} silos reopened the {Shards} shards from disk ({live:N0} codes) in {watch.Elapsed.TotalSeconds:F1} s");
                    }
                    await MeasureAsync(count, data, index, singles, batches);
                }
                finally
                {
                    silos.Stop();
                }
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task MeasureAsync(int silos, MultiIndexData data, ShardedCodeIndex index, int singles, int batches)
    {
        int words = data.Words;
        // Warm both sides (JIT, pools, the shards' first reads of their mapped files).
        for (int q = 0; q < 20; q++) await index.TopKAsync(data.Queries.AsMemory(q * words, words), K);
        _ = data.Door.TopKBatch(data.Queries, K);
        SearchResult[] warm = await index.TopKBatchAsync(data.Queries, K);

        var local = new List<double>();
        var remote = new List<double>();
        for (int q = 0; q < singles; q++)
        {
            int query = q % BatchSize;
            long start = Stopwatch.GetTimestamp();
            _ = data.Door.TopK(data.Query(query), K);
            local.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            start = Stopwatch.GetTimestamp();
            _ = await index.TopKAsync(data.Queries.AsMemory(query * words, words), K);
            remote.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        Row(silos, "lone 10-NN", local, remote, 1, Equal(data, warm));

        local.Clear();
        remote.Clear();
        bool equal = true;
        for (int b = 0; b < batches; b++)
        {
            long start = Stopwatch.GetTimestamp();
            SearchResult[] expected = data.Door.TopKBatch(data.Queries, K);
            local.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            start = Stopwatch.GetTimestamp();
            SearchResult[] answers = await index.TopKBatchAsync(data.Queries, K);
            remote.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            equal &= answers.Zip(expected).All(p => p.First.Neighbors.AsSpan().SequenceEqual(p.Second.Neighbors));
        }
        Row(silos, $"batch of {BatchSize}", local, remote, BatchSize, equal);
    }

    private static bool Equal(MultiIndexData data, SearchResult[] answers) =>
        answers.Select((a, q) => a.Neighbors.AsSpan().SequenceEqual(data.Door.TopK(data.Query(q), K).Neighbors)).All(e => e);

    private static void Row(int silos, string mode, List<double> local, List<double> remote, int queriesPerCall, bool equal)
    {
        double localQps = queriesPerCall * 1000.0 * local.Count / local.Sum();
        double remoteQps = queriesPerCall * 1000.0 * remote.Count / remote.Sum();
        Console.WriteLine($"| {silos} | {mode} | {localQps:N0} | {remoteQps:N0} | {remoteQps / localQps:P0} | {Percentiles(local)} | {Percentiles(remote)} | {(equal ? "yes" : "NO")} |");
    }

    private static string Percentiles(List<double> milliseconds)
    {
        double[] sorted = [.. milliseconds.Order()];
        string At(double p) => PairedStats.FormatMilliseconds(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)]);
        return $"{At(0.50)} / {At(0.95)} / {At(0.99)}";
    }
}
