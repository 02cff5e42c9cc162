// The README's embedding example, run against the packages, then a small training whose files
// scripts/pack-smoke.sh hands to the installed `hamming search`. Exits 1 on a wrong answer.
using HammingIndex.MultiIndex;
using HammingIndex.Storage;
using HammingIndex.Training;
using HammingIndex.Training.IO;
using HammingIndex.Training.Scratch;

string outDir = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "hammingindex-consumer");
Directory.CreateDirectory(outDir);
var random = new Random(42);

// --- README: "Embedding it" (64-bit codes)
const int n = 5000;
var codes = new ulong[n];
var ids = new long[n];
for (int i = 0; i < n; i++) { codes[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63); ids[i] = 1000 + i; }
string storePath = Path.Combine(outDir, "codes.hstore");
File.Delete(storePath);
using (var store = CodeStore.Create(storePath, bits: 64))
{
    store.AppendRange(codes, ids);
    store.Flush();
    var search = new MultiIndexSearcher(MultiIndexHash.OpenOrBuild(store));
    ulong[] query = [codes[123] ^ 0b101];                     // two bits away from id 1123
    SearchResult near = search.TopK(query, k: 10);
    SearchResult hits = search.WithinRadius(query, radius: 3);
    SearchResult[] many = search.TopKBatch([codes[7], codes[8]], k: 10);
    Check(near.Neighbors[0].Id == 1123 && near.Neighbors[0].Distance == 2, $"TopK: nearest {near.Neighbors[0]}");
    Check(hits.Neighbors.Any(x => x.Id == 1123), "WithinRadius misses id 1123");
    Check(many[0].Neighbors[0].Id == 1007 && many[1].Neighbors[0].Id == 1008, "TopKBatch: nearest of codes 7 and 8");
    Console.WriteLine($"embedding: top-1 {near.Neighbors[0].Id} at {near.Neighbors[0].Distance} via {near.Path}; {hits.Neighbors.Length} within 3");
}

// --- Training: two modalities of 3 classes, SCRATCH, image codes in a store, text queries as .npy
const int pairs = 300, imageDim = 12, textDim = 5, classes = 3;
var images = new FeatureMatrix(pairs, imageDim);
var texts = new FeatureMatrix(pairs, textDim);
var labels = new FeatureMatrix(pairs, classes);
for (int i = 0; i < pairs; i++)
{
    int c = i % classes;
    labels[i, c] = 1;
    for (int j = 0; j < imageDim; j++) images[i, j] = (j % classes == c ? 3 : 0) + random.NextDouble();
    for (int j = 0; j < textDim; j++) texts[i, j] = (j % classes == c ? 3 : 0) + random.NextDouble();
}
ScratchModel model = ScratchTrainer.Train(images, texts, labels, new ScratchOptions { Bits = 32, Anchors = 50 }).Model;
string modelPath = Path.Combine(outDir, "model.scratch");
model.Save(modelPath);
string imagesPath = Path.Combine(outDir, "images.hstore");
File.Delete(imagesPath);
using (var imageStore = CodeStore.Create(imagesPath, bits: model.Bits))
{
    imageStore.AppendRange(model.EncodeImages(images), Enumerable.Range(0, pairs).Select(i => (long)i).ToArray());
    imageStore.Flush();
}
NpyFile.Write(Path.Combine(outDir, "queries.npy"), texts.SelectRows([0, 1, 2]));
Console.WriteLine($"training: {model.Bits}-bit model, {pairs} image codes, 3 text queries in {outDir}");
return 0;

static void Check(bool ok, string what)
{
    if (ok) return;
    Console.Error.WriteLine($"FAILED: {what}");
    Environment.Exit(1);
}
