// The README's embedding example, compiled and run by .ci/run: the lines between README-BEGIN and
// README-END markers are the README's code block, word for word (scripts/sample.sh compares them).
// Around them: data to run it on, and checks that make a wrong answer exit non-zero.
// README-BEGIN
using HammingIndex.Indexing;
using HammingIndex.MultiIndex;
using HammingIndex.Search;

// README-END

string path = Path.Combine(Path.GetTempPath(), $"hamming-sample-{Environment.ProcessId}.hidx");
var rng = new Random(42);
var codes = new ulong[100_000];                       // 64-bit codes: one ulong each (ceil(bits / 64) in general)
var ids = new long[codes.Length];
for (int i = 0; i < codes.Length; i++) (codes[i], ids[i]) = ((ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63), 1000 + i);
ulong[] query = [codes[1234] ^ 0b101];                // two bits away from id 2234
ulong[] queries = [.. codes.AsSpan(0, 1000)];         // 1,000 queries back to back: ids 1000..1999 at distance 0
var failures = new List<string>();
void Check(bool ok, string what) { Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {what}"); if (!ok) failures.Add(what); }

try
{
    {
        // README-BEGIN
        // codes: 64-bit codes back to back (ulong[]; ceil(bits / 64) ulongs each), ids: long[], query: one code
        using var index = CodeIndex.Create(path, bits: 64);   // or CreateInMemory(64); Open(path), OpenReadOnly(path)
        index.AddRange(codes, ids);                           // ids unique; tables rebuild in the background
        index.Flush();                                        // durable from here on; tables saved beside it (path + ".mih")
        SearchResult near = index.TopK(query, k: 10);         // Neighbors (Id, Distance) by distance, then id; Path
        SearchResult hits = index.WithinRadius(query, radius: 3);
        SearchResult[] many = index.TopKBatch(queries, k: 10);  // all cores; takes a CancellationToken and an IProgress
        var answers = new SearchResult[1000];                 // a batch into a reused buffer: no array per batch
        index.WithinRadiusBatch(queries, radius: 2, answers);
        Span<Neighbor> top = stackalloc Neighbor[10];
        int found = index.TopK(query, 10, top);               // into a caller buffer
        index.Delete(2234);                                   // or DeleteRange(ids); Contains(id), GetCode(id)
        index.Compact();                                      // drop deleted codes, rebuild the tables
        // A search never waits for a table rebuild: until one is published it scans the codes added since.
        // README-END
        Console.WriteLine($"nearest to the query: id {near.Neighbors[0].Id} at distance {near.Neighbors[0].Distance} ({near.Path})");
        Check(near.Neighbors[0] == new Neighbor(2234, 2), "the nearest code is id 2234 at distance 2");
        Check(near.Neighbors.Length == 10 && found == 10 && top.SequenceEqual(near.Neighbors), "top-10 into a buffer equals top-10 as an array");
        Check(hits.Neighbors.Length >= 1 && hits.Neighbors[0].Id == 2234 && hits.Neighbors.All(n => n.Distance <= 3), "radius 3 holds id 2234 and nothing farther");
        Check(many.Length == 1000 && Enumerable.Range(0, 1000).All(q => many[q].Neighbors[0] == new Neighbor(1000 + q, 0)), "batch: each query finds its own id at distance 0");
        Check(Enumerable.Range(0, 1000).All(q => answers[q].Neighbors.Contains(new Neighbor(1000 + q, 0)) && answers[q].Neighbors.All(n => n.Distance <= 2)), "radius batch into a buffer: each query finds its own id, nothing beyond 2");
        Check(!index.Contains(2234) && index.Count == codes.Length - 1, "id 2234 is gone after the delete and the compaction");
        Check(index.TopK(query, 1).Neighbors[0].Id != 2234, "a search no longer returns id 2234");
    }
    using (var reopened = CodeIndex.OpenReadOnly(path))
    {
        Check(reopened.Count == codes.Length - 1 && reopened.IndexedCount == reopened.Count, "reopened read-only: every code, tables loaded from the .mih");
        Check(reopened.GetCode(1000 + 77).SequenceEqual([codes[77]]), "GetCode returns the stored code");
    }
}
finally
{
    File.Delete(path);
    File.Delete(path + MultiIndexHash.FileExtension);
}
Console.WriteLine(failures.Count == 0 ? "sample: all checks passed" : $"sample: {failures.Count} checks FAILED");
return failures.Count == 0 ? 0 : 1;
