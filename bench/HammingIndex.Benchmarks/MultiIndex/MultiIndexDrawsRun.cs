using System.Diagnostics;
using HammingIndex.Kernels;
using HammingIndex.MultiIndex;
using HammingIndex.Search;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// One k-NN target across independent draws of the data: for each seed, a fresh clustered set (the
/// issue's recipe) and a fresh set of queries; the scan, the multi-index and the front door answer
/// the same queries in interleaved rounds, and the ratios are taken within a round (medians over
/// rounds). Shows whether a speed-up holds for the recipe, not for one lucky draw. Run:
/// <c>dotnet run -c Release --project bench/HammingIndex.Benchmarks -- mih-draws [draws] [k] [queries]</c>
/// (HAMMINGINDEX_MIH_N / _BITS / _DATA pick the set; defaults 10M, 64 bits, clustered).
/// </summary>
public static class MultiIndexDrawsRun
{
    private const int Rounds = 3;

    public static void Run(string[] args)
    {
        int draws = args.Length > 0 ? int.Parse(args[0]) : 8;
        int k = args.Length > 1 ? int.Parse(args[1]) : 10;
        int queries = args.Length > 2 ? int.Parse(args[2]) : 200;
        int n = MultiIndexData.Sizes.Max();
        int bits = MultiIndexData.CodeLengths.First();
        CodeData data = MultiIndexData.Kinds.Last();
        Console.WriteLine($"# Multi-index draws: {k}-NN, N = {n:N0}, {bits} bits, {data}, {queries} queries per draw, {Rounds} rounds, scan kernel path {HammingKernels.DefaultPath}, {Environment.ProcessorCount} cores");
        Console.WriteLine("| seed | scan / query | MIH / query | MIH speed-up | door / query | door / scan | door via MIH | MIH cand / query | MIH cand p95 |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var speedUps = new List<double>();
        for (int seed = 1; seed <= draws; seed++)
        {
            MultiIndexData set = MultiIndexData.Draw(n, bits, data, seed, queries);
            var nearest = new Neighbor[k];
            var candidates = new long[queries];
            int viaIndex = 0;
            double Time(int path)
            {
                long start = Stopwatch.GetTimestamp();
                for (int q = 0; q < queries; q++)
                {
                    ReadOnlySpan<ulong> query = set.Query(q);
                    if (path == 0) set.Scan.TopK(query, k, nearest);
                    else if (path == 1)
                    {
                        set.Index.TryTopK(query, k, SearchBudget.Unlimited, nearest, out long c);
                        candidates[q] = c;
                    }
                    else if (set.Door.TopK(query, k).Path == SearchPath.MultiIndex) viaIndex++;
                }
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds / queries;
            }

            var (scan, mih, door) = MultiIndexRounds.Run(Rounds, Time, () => viaIndex = 0);
            double speedUp = PairedStats.Median(scan.Zip(mih, (s, m) => s / m));
            speedUps.Add(speedUp);
            long[] sorted = candidates.Order().ToArray();
            Console.WriteLine($"| {seed} | {PairedStats.FormatMilliseconds(PairedStats.Median(scan))} | {PairedStats.FormatMilliseconds(PairedStats.Median(mih))} | {speedUp:F1}x | {PairedStats.FormatMilliseconds(PairedStats.Median(door))} | " +
                $"{PairedStats.Median(door.Zip(scan, (d, s) => d / s)):F2} | {100.0 * viaIndex / (Rounds * queries):F0}% | {candidates.Average():N0} | {sorted[(int)(0.95 * (sorted.Length - 1))]:N0} |");
        }
        Console.WriteLine($"MIH speed-up over {draws} draws: min {speedUps.Min():F1}x, median {PairedStats.Median(speedUps):F1}x, max {speedUps.Max():F1}x");
    }
}
