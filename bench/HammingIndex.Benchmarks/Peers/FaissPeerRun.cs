using System.Diagnostics;
using System.Runtime.InteropServices;
using HammingIndex.Benchmarks.MultiIndex;
using HammingIndex.Kernels;
using HammingIndex.MultiIndex;
using HammingIndex.Search;

namespace HammingIndex.Benchmarks.Peers;

/// <summary>
/// HammingIndex against a peer, FAISS's binary indexes (Debian's python3-faiss, driven by
/// bench/peers/faiss_binary.py as a long-lived child process): the same codes and queries, the same
/// thread counts, each case of ours and the peer's timed back to back in interleaved rounds (ratios
/// taken within a round, medians over rounds), and every answer checked against the peer's by a
/// checksum of result distances. Run:
/// <c>dotnet run -c Release --project bench/HammingIndex.Benchmarks -- peer-faiss [rounds] [queries]</c>
/// (needs /usr/bin/python3 with python3-faiss: <c>apt-get install python3-faiss</c>;
/// HAMMINGINDEX_MIH_N / _BITS / _DATA pick the sets; default 10M 64-bit, both kinds).
/// </summary>
public static class FaissPeerRun
{
    private const int K = 10;
    private const int Radius = 3;

    private sealed record Case(string Name, int Threads, Func<double, (double Seconds, long Checksum)> Ours, string PeerCommand, string PeerName);

    public static void Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0]) : 5;
        int queries = args.Length > 1 ? int.Parse(args[1]) : 100;
        string script = FindScript();
        Console.WriteLine($"# HammingIndex vs FAISS {PeerVersion()} binary indexes: {rounds} rounds, {queries} queries, scan kernel path {HammingKernels.DefaultPath}, {Environment.ProcessorCount} cores");
        Console.WriteLine("| N | bits | data | case | threads | ours | ours / query | FAISS | FAISS / query | speed-up (FAISS time / ours) | same answers |");
        Console.WriteLine("|---|---|---|---|---:|---|---:|---|---:|---:|---|");
        int[] sizes = Environment.GetEnvironmentVariable("HAMMINGINDEX_MIH_N") is { Length: > 0 } ? [.. MultiIndexData.Sizes] : [10_000_000];
        int[] lengths = Environment.GetEnvironmentVariable("HAMMINGINDEX_MIH_BITS") is { Length: > 0 } ? [.. MultiIndexData.CodeLengths] : [64];
        foreach (int n in sizes)
        foreach (int bits in lengths)
        foreach (CodeData data in MultiIndexData.Kinds)
        {
            MultiIndexData set = MultiIndexData.Draw(n, bits, data, 777 ^ n ^ bits, queries);
            string dir = Directory.CreateTempSubdirectory("hamming-peer-").FullName;
            try
            {
                WriteCodes(set, dir);
                RunSet(set, n, bits, data, dir, script, rounds, queries);
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static void RunSet(MultiIndexData set, int n, int bits, CodeData data, string dir, string script, int rounds, int queries)
    {
        int m = set.Index.SubstringCount;
        using var peer = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, dir, bits.ToString(), m.ToString()])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        })!;
        string ready = peer.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The FAISS peer exited before it was ready.");
        Console.Error.WriteLine($"// FAISS peer {ready} (IndexBinaryMultiHash build s); ours: m = {m}, build {set.BuildSeconds:F2} s");

        var oneCore = new ScanSearcher(set.Store, new ScanOptions { MaxDegreeOfParallelism = 1 });
        int threads = Environment.ProcessorCount;
        var cases = new List<Case>
        {
            new($"{K}-NN, one query at a time: front door vs IndexBinaryFlat", 1, _ => Each(set, q => Sum(set.Door.TopK(q, K).Neighbors)), $"knn {K} 1", "IndexBinaryFlat"),
            new($"{K}-NN, one query at a time: our scan vs IndexBinaryFlat", 1, _ => Each(set, q => Sum(oneCore.TopK(q, K))), $"knn {K} 1", "IndexBinaryFlat"),
            new($"{K}-NN, one batch: front door vs IndexBinaryFlat", threads, _ => Batch(set, () => set.Door.TopKBatch(set.Queries, K).Sum(r => Sum(r.Neighbors))), $"knn-batch {K} {threads}", "IndexBinaryFlat"),
            new($"{K}-NN, one batch: our scan vs IndexBinaryFlat", threads, _ => Batch(set, () => set.Scan.TopKBatch(set.Queries, K).Sum(Sum)), $"knn-batch {K} {threads}", "IndexBinaryFlat"),
            new($"r = {Radius}, one query at a time: front door vs IndexBinaryMultiHash", 1, _ => Each(set, q => RangeSum(set.Door.WithinRadius(q, Radius).Neighbors)), $"mh-range {Radius} 1", "IndexBinaryMultiHash"),
            new($"r = {Radius}, one query at a time: front door vs IndexBinaryFlat", 1, _ => Each(set, q => RangeSum(set.Door.WithinRadius(q, Radius).Neighbors)), $"range {Radius} 1", "IndexBinaryFlat"),
            new($"r = {Radius}, one batch: front door vs IndexBinaryMultiHash", threads, _ => Batch(set, () => set.Door.WithinRadiusBatch(set.Queries, Radius).Sum(r => RangeSum(r.Neighbors))), $"mh-range-batch {Radius} {threads}", "IndexBinaryMultiHash"),
        };
        foreach (Case c in cases) { c.Ours(0); Peer(peer, c.PeerCommand); } // warm-up (JIT, pools, page cache)
        var ours = cases.Select(_ => new List<double>()).ToArray();
        var theirs = cases.Select(_ => new List<double>()).ToArray();
        var same = new bool[cases.Count];
        Array.Fill(same, true);
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < cases.Count; i++)
            {
                // Alternate who goes first, so neither always runs on the other's cache leftovers.
                bool oursFirst = (round + i) % 2 == 0;
                (double Seconds, long Checksum) peerResult = default, ourResult = default;
                if (!oursFirst) peerResult = Peer(peer, cases[i].PeerCommand);
                ourResult = cases[i].Ours(0);
                if (oursFirst) peerResult = Peer(peer, cases[i].PeerCommand);
                ours[i].Add(ourResult.Seconds);
                theirs[i].Add(peerResult.Seconds);
                same[i] &= ourResult.Checksum == peerResult.Checksum;
            }
        }
        peer.StandardInput.WriteLine("quit");
        peer.WaitForExit();
        string size = n >= 1_000_000 ? $"{n / 1_000_000}M" : n.ToString();
        for (int i = 0; i < cases.Count; i++)
        {
            double ratio = PairedStats.Median(theirs[i].Zip(ours[i], (t, o) => t / o));
            Console.WriteLine($"| {size} | {bits} | {data.ToString().ToLowerInvariant()} | {cases[i].Name} | {cases[i].Threads} | HammingIndex | " +
                $"{PairedStats.FormatMilliseconds(PairedStats.Median(ours[i]) * 1e3)} | {cases[i].PeerName} | {PairedStats.FormatMilliseconds(PairedStats.Median(theirs[i]) * 1e3)} | " +
                $"{(ratio < 10 ? ratio.ToString("F2") : ratio.ToString("N0"))}x | {(same[i] ? "yes" : "NO")} |");
        }
    }

    /// <summary>Every query alone: (seconds per query, checksum).</summary>
    private static (double, long) Each(MultiIndexData set, Func<ulong[], long> search)
    {
        long checksum = 0;
        long start = Stopwatch.GetTimestamp();
        for (int q = 0; q < set.QueryCount; q++) checksum += search(set.Query(q).ToArray());
        return (Stopwatch.GetElapsedTime(start).TotalSeconds / set.QueryCount, checksum);
    }

    /// <summary>All queries in one call: (seconds per query, checksum).</summary>
    private static (double, long) Batch(MultiIndexData set, Func<long> search)
    {
        long start = Stopwatch.GetTimestamp();
        long checksum = search();
        return (Stopwatch.GetElapsedTime(start).TotalSeconds / set.QueryCount, checksum);
    }

    private static long Sum(Neighbor[] neighbors) => neighbors.Sum(n => (long)n.Distance);

    /// <summary>The peer's range checksum: distance sum plus a million per hit.</summary>
    private static long RangeSum(Neighbor[] neighbors) => Sum(neighbors) + neighbors.Length * 1_000_000L;

    private static (double Seconds, long Checksum) Peer(Process peer, string command)
    {
        peer.StandardInput.WriteLine(command);
        peer.StandardInput.Flush();
        string reply = peer.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"The FAISS peer exited during '{command}'.");
        string[] parts = reply.Split(' ');
        if (parts.Length != 3 || parts[1] == "error") throw new InvalidOperationException($"The FAISS peer answered '{reply}' to '{command}'.");
        return (double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), long.Parse(parts[2]));
    }

    /// <summary>Codes and queries as BITS/8 bytes each: the store's little-endian words are FAISS's byte order.</summary>
    private static void WriteCodes(MultiIndexData set, string dir)
    {
        int bytes = set.Store.Layout.Bits / 8;
        using (var codes = File.Create(Path.Combine(dir, "codes.u8")))
        using (var snapshot = set.Store.AcquireSnapshot())
        {
            for (int b = 0; b < snapshot.BlockCount; b++)
            {
                ReadOnlySpan<byte> block = MemoryMarshal.AsBytes(snapshot.GetBlock(b).Codes);
                int count = block.Length / set.Store.Layout.BytesPerCode;
                for (int i = 0; i < count; i++) codes.Write(block.Slice(i * set.Store.Layout.BytesPerCode, bytes));
            }
        }
        using var queries = File.Create(Path.Combine(dir, "queries.u8"));
        for (int q = 0; q < set.QueryCount; q++) queries.Write(MemoryMarshal.AsBytes(set.Query(q))[..bytes]);
    }

    private static string FindScript()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            string candidate = Path.Combine(dir, "bench", "peers", "faiss_binary.py");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("bench/peers/faiss_binary.py not found above the benchmark's output directory.");
    }

    private static string PeerVersion()
    {
        using var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "import faiss; print(faiss.__version__)"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string version = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("/usr/bin/python3 cannot import faiss: apt-get install python3-faiss");
        return version;
    }
}
