using System.Diagnostics;
using HammingIndex.Kernels;
using HammingIndex.MultiIndex;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// The front door on a batch of queries: its batch (tables across cores, then one batched scan for the
/// queries they do not answer) against the batched scan and against the door one query at a time, in
/// interleaved rounds (ratios within a round, medians over rounds). Run:
/// <c>dotnet run -c Release --project bench/HammingIndex.Benchmarks -- mih-batch [rounds] [queries]</c>
/// (HAMMINGINDEX_MIH_N / _BITS / _DATA pick the sets, as for mih-paired).
/// </summary>
public static class MultiIndexBatchRun
{
    private const int Seed = 4242;

    public static void Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0]) : 5;
        int queries = args.Length > 1 ? int.Parse(args[1]) : 100;
        Console.WriteLine($"# Multi-index batch run: {rounds} rounds of a {queries}-query batch per row, scan kernel path {HammingKernels.DefaultPath}, {Environment.ProcessorCount} cores");
        Console.WriteLine("| N | bits | data | query | scan batch / query | door batch / query | door batch / scan batch | door batch via MIH | door one by one / query |");
        Console.WriteLine("|---|---|---|---|---:|---:|---:|---:|---:|");
        foreach (var (n, bits, data) in MultiIndexData.Combinations)
        {
            MultiIndexData set = MultiIndexData.Draw(n, bits, data, Seed ^ n ^ bits, queries);
            foreach (var (isRadius, value) in new[] { (true, 3), (false, 10) })
            {
                int viaIndex = 0, batchQueries = 0;
                double Time(int path)
                {
                    long start = Stopwatch.GetTimestamp();
                    if (path == 0)
                    {
                        _ = isRadius ? set.Scan.WithinRadiusBatch(set.Queries, value) : set.Scan.TopKBatch(set.Queries, value);
                    }
                    else if (path == 1)
                    {
                        for (int q = 0; q < queries; q++) _ = isRadius ? set.Door.WithinRadius(set.Query(q), value) : set.Door.TopK(set.Query(q), value);
                    }
                    else
                    {
                        SearchResult[] answers = isRadius ? set.Door.WithinRadiusBatch(set.Queries, value) : set.Door.TopKBatch(set.Queries, value);
                        viaIndex += answers.Count(a => a.Path == SearchPath.MultiIndex);
                        batchQueries += answers.Length;
                    }
                    return Stopwatch.GetElapsedTime(start).TotalMilliseconds / queries;
                }

                var (scanBatch, doorSingle, doorBatch) = MultiIndexRounds.Run(rounds, Time, () => { viaIndex = 0; batchQueries = 0; });
                Console.WriteLine($"| {(n >= 1_000_000 ? $"{n / 1_000_000}M" : n.ToString())} | {bits} | {data.ToString().ToLowerInvariant()} | {(isRadius ? $"r = {value}" : $"{value}-NN")} | " +
                    $"{PairedStats.FormatMilliseconds(PairedStats.Median(scanBatch))} | {PairedStats.FormatMilliseconds(PairedStats.Median(doorBatch))} | " +
                    $"{PairedStats.Median(doorBatch.Zip(scanBatch, (d, s) => d / s)):F2} | {100.0 * viaIndex / batchQueries:F0}% | {PairedStats.FormatMilliseconds(PairedStats.Median(doorSingle))} |");
            }
        }
    }
}
