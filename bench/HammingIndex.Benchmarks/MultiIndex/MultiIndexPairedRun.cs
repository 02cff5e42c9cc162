using System.Diagnostics;
using HammingIndex.Kernels;
using HammingIndex.Search;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// Interleaved rounds for a shared, noisy machine: in each round the same 16 queries run through the
/// scan, the multi-index and the front door back to back (the order rotates per round), and the
/// ratios are taken within the round; the table reports per-round medians. Run:
/// <c>dotnet run -c Release --project bench/HammingIndex.Benchmarks -- mih-paired [rounds]</c>
/// (HAMMINGINDEX_MIH_N / _BITS / _DATA narrow the data sets as for the BenchmarkDotNet classes).
/// </summary>
public static class MultiIndexPairedRun
{
    private enum Kind { Radius, Nearest }

    public static void Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0]) : 5;
        var queryTypes = new List<(Kind Kind, int Value)>();
        for (int r = 0; r <= 4; r++) queryTypes.Add((Kind.Radius, r));
        foreach (int k in new[] { 1, 10, 100 }) queryTypes.Add((Kind.Nearest, k));
        Console.WriteLine($"# Multi-index paired run: {rounds} rounds of {MultiIndexData.DefaultQueryCount} queries per row, scan kernel path {HammingKernels.DefaultPath}, {Environment.ProcessorCount} cores");
        Console.WriteLine("| N | bits | data | query | scan / query | MIH / query | MIH speed-up | door / query | door / scan | door via MIH | MIH cand / query |");
        Console.WriteLine("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (n, bits, data) in MultiIndexData.Combinations)
        {
            MultiIndexData set = MultiIndexData.Get(n, bits, data);
            foreach (var (kind, value) in queryTypes)
            {
                var results = new List<Neighbor>();
                var nearest = new Neighbor[100];
                long candidates = 0;
                int viaIndex = 0, doorQueries = 0;
                double Time(int path)
                {
                    long start = Stopwatch.GetTimestamp();
                    for (int q = 0; q < set.QueryCount; q++)
                    {
                        ReadOnlySpan<ulong> query = set.Query(q);
                        switch (path, kind)
                        {
                            case (0, Kind.Radius): results.Clear(); set.Scan.WithinRadius(query, value, results); break;
                            case (0, Kind.Nearest): set.Scan.TopK(query, value, nearest); break;
                            case (1, Kind.Radius):
                                results.Clear();
                                set.Index.TryWithinRadius(query, value, results, HammingIndex.MultiIndex.SearchBudget.Unlimited, out long c1);
                                candidates += c1;
                                break;
                            case (1, Kind.Nearest):
                                set.Index.TryTopK(query, value, HammingIndex.MultiIndex.SearchBudget.Unlimited, nearest, out long c2);
                                candidates += c2;
                                break;
                            default:
                                var result = kind == Kind.Radius ? set.Door.WithinRadius(query, value) : set.Door.TopK(query, value);
                                doorQueries++;
                                if (result.Path == HammingIndex.MultiIndex.SearchPath.MultiIndex) viaIndex++;
                                break;
                        }
                    }
                    return Stopwatch.GetElapsedTime(start).TotalMilliseconds / set.QueryCount;
                }

                var (scan, mih, door) = MultiIndexRounds.Run(rounds, Time, () => { candidates = 0; viaIndex = 0; doorQueries = 0; });
                double speedUp = PairedStats.Median(scan.Zip(mih, (s, m) => s / m));
                double doorRatio = PairedStats.Median(door.Zip(scan, (d, s) => d / s));
                string query = kind == Kind.Radius ? $"r = {value}" : $"{value}-NN";
                Console.WriteLine($"| {(n >= 1_000_000 ? $"{n / 1_000_000}M" : n.ToString())} | {bits} | {data.ToString().ToLowerInvariant()} | {query} | " +
                    $"{PairedStats.FormatMilliseconds(PairedStats.Median(scan))} | {PairedStats.FormatMilliseconds(PairedStats.Median(mih))} | {(speedUp < 10 ? speedUp.ToString("F2") : speedUp.ToString("N0"))}x | {PairedStats.FormatMilliseconds(PairedStats.Median(door))} | {doorRatio:F2} | " +
                    $"{100.0 * viaIndex / doorQueries:F0}% | {candidates / (double)(rounds * set.QueryCount):N0} |");
            }
        }
    }
}
