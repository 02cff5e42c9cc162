using System.Diagnostics;
using System.Runtime.Intrinsics.X86;
using HammingIndex.MultiIndex;
using HammingIndex.Search;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// What counting one ring costs the door (<see cref="RingCount.Count"/>, which the k-NN pricing runs
/// for rings ahead of the probe), in the matrix's cache state (each measurement after an untimed scan
/// of another query): the count as the door runs it, a second table's ring counted right after it
/// (the count's code and static data now warm), and the same offsets loaded by a bare loop (plain,
/// all prefetched first, or in chunks of 32 as the count does). The four are taken in a rotating
/// order, per query, table and round. The gap between the first and the second count is what the
/// count's first touches of its code and data cost after a scan; the gap between the second and the
/// bare loads is the count's own work.
/// Run: <c>ring-count N bits uniform|clustered codes|positions k [queries] [--ring t]</c>.
/// </summary>
public static class RingCountRun
{
    public static unsafe void Run(string[] args)
    {
        int t = DoorTraceRun.TakeOption(ref args, "--ring", 2);
        var (set, _, _, queries) = DoorTraceRun.Row(args, 32);
        var memory = set.Store.AcquireMemory(out long count, out long generation);
        try
        {
            MultiIndexTables tables = set.Index.CurrentTables(memory, count, generation)
                ?? throw new InvalidOperationException("The index has no tables for the store's generation.");
            var nearest = new Neighbor[1];
            int m = tables.Split.Count;
            var substrings = new ulong[m];
            var scratch = new MultiIndexScratch();
            var sums = new double[5];
            long keyCount = 0, checksum = 0;
            for (int round = 0; round < 3; round++)
            for (int q = 0; q < queries; q++)
            {
                tables.Split.ExtractAll(set.Query(q), substrings);
                for (int j = 0; j < m; j++)
                {
                    MultiIndexHashTable table = tables.Tables[j];
                    // The ring's keys in the probe's order, as the door gathers them.
                    scratch.EnsureRings((int)RingCount.Masks(table.SubstringBits, t, t));
                    ulong[] keys = scratch.RingKeys[..BucketGather.Keys(scratch, 0, j, table.SubstringBits, substrings[j], t, t)];
                    keyCount += keys.Length;
                    for (int step = 0; step < 4; step++)
                    {
                        int mode = (step + q + round + j) % 4;
                        set.Scan.TopK(set.Query((q + 1 + mode) % queries), 1, nearest);
                        ReadOnlySpan<uint> offsets = table.Offsets;
                        long start = Stopwatch.GetTimestamp();
                        switch (mode)
                        {
                            case 0:
                                checksum += (long)RingCount.Count(table, substrings[j], t, t).Entries;
                                sums[0] += Stopwatch.GetElapsedTime(start).TotalNanoseconds;
                                int other = (j + 1) % m;
                                start = Stopwatch.GetTimestamp();
                                checksum += (long)RingCount.Count(tables.Tables[other], substrings[other], t, t).Entries;
                                sums[4] += Stopwatch.GetElapsedTime(start).TotalNanoseconds;
                                continue;
                            case 1:
                                foreach (ulong key in keys) checksum += offsets[(int)key + 1] - offsets[(int)key];
                                break;
                            case 2:
                                fixed (uint* o = offsets) { foreach (ulong key in keys) if (Sse.IsSupported) Sse.Prefetch0(o + key); }
                                foreach (ulong key in keys) checksum += offsets[(int)key + 1] - offsets[(int)key];
                                break;
                            default:
                                for (int chunk = 0; chunk < keys.Length; chunk += 32)
                                {
                                    int end = Math.Min(keys.Length, chunk + 32);
                                    fixed (uint* o = offsets) { for (int i = chunk; i < end; i++) if (Sse.IsSupported) Sse.Prefetch0(o + keys[i]); }
                                    for (int i = chunk; i < end; i++) checksum += offsets[(int)keys[i] + 1] - offsets[(int)keys[i]];
                                }
                                break;
                        }
                        sums[mode] += Stopwatch.GetElapsedTime(start).TotalNanoseconds;
                    }
                }
            }
            Console.WriteLine($"ring {t} of {m} tables ({(tables.Tables[0].IsDirect ? "direct" : "two-level")}), {keyCount} keys: " +
                $"RingCount.Count {sums[0] / keyCount:F1} ns a key, a second table's ring right after {sums[4] / keyCount:F1}; " +
                $"bare loads: plain {sums[1] / keyCount:F1}, all prefetched first {sums[2] / keyCount:F1}, chunks of 32 {sums[3] / keyCount:F1} (checksum {checksum & 1})");
        }
        finally
        {
            memory.Release();
        }
    }
}
