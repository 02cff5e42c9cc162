using System.Diagnostics;
using System.Runtime.InteropServices;
using HammingIndex.Storage;

namespace HammingIndex.Benchmarks.Machine;

/// <summary>
/// What a load costs here by the size of the data it falls in: a dependent chain through one random
/// cycle of cache lines (each load's address is the last load's value, so nothing overlaps), in native
/// memory advised for huge pages (as the tables are), for sizes from 256 KiB to 256 MiB. Where the
/// time per load jumps is the last-level cache this virtual machine actually gets, whatever
/// <c>lscpu</c> reports for the host's socket. Then the same lines read independently (a sum over
/// random lines: the misses overlap), which is the memory-level parallelism a probe can use.
/// Run: <c>memory-latency [max MiB]</c>.
/// </summary>
public static class MemoryLatencyRun
{
    public static unsafe void Run(string[] args)
    {
        long maxMiB = args.Length > 0 ? long.Parse(args[0]) : 256;
        const int Line = 64;
        Console.WriteLine($"# memory-latency: dependent and independent loads over random cache lines, native memory (huge pages advised), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine("| size | dependent load | independent load |");
        Console.WriteLine("|---:|---:|---:|");
        for (long kib = 256; kib <= maxMiB * 1024; kib *= 2)
        {
            long bytes = kib * 1024, lines = bytes / Line;
            byte* block = NativeBlocks.AllocateZeroed(bytes, 64, hugePages: true);
            try
            {
                // One random cycle through every line: line order[i] points at line order[i + 1].
                var order = new int[lines];
                for (int i = 0; i < lines; i++) order[i] = i;
                new Random(17).Shuffle(order);
                for (long i = 0; i < lines; i++) *(long*)(block + (long)order[i] * Line) = (long)order[(i + 1) % lines] * Line;
                long at = 0;
                for (long i = 0; i < lines; i++) at = *(long*)(block + at); // touch every line once
                const int Steps = 2_000_000;
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < Steps; i++) at = *(long*)(block + at);
                double dependent = Stopwatch.GetElapsedTime(start).TotalNanoseconds / Steps;
                var random = new Random(29);
                var targets = new long[1 << 16];
                for (int i = 0; i < targets.Length; i++) targets[i] = random.NextInt64(lines) * Line;
                long sum = 0;
                start = Stopwatch.GetTimestamp();
                for (int round = 0; round < 8; round++)
                    foreach (long target in targets) sum += *(long*)(block + target);
                double independent = Stopwatch.GetElapsedTime(start).TotalNanoseconds / (8.0 * targets.Length);
                string size = kib < 1024 ? $"{kib} KiB" : $"{kib / 1024} MiB";
                Console.WriteLine($"| {size} | {dependent:F1} ns | {independent:F1} ns |{(at == -1 || sum == -1 ? " " : "")}");
            }
            finally
            {
                NativeBlocks.Free(block);
            }
        }
    }
}
