using System.Diagnostics;
using HammingIndex.Indexing;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

/// <summary>
/// One immutable build of a multi-index: the substring split and its m tables over store positions
/// 0..IndexedCount-1 of one store generation. Searches hold a reference while they run; a rebuild
/// publishes a new instance.
/// </summary>
internal sealed class MultiIndexTables
{
    public MultiIndexTables(SubstringSplit split, MultiIndexHashTable[] tables, long indexedCount, long generation, TimeSpan buildTime)
    {
        Split = split;
        Tables = tables;
        IndexedCount = indexedCount;
        Generation = generation;
        BuildTime = buildTime;
        HasCodes = Array.TrueForAll(tables, t => t.HasCodes);
    }

    public SubstringSplit Split { get; }

    public MultiIndexHashTable[] Tables { get; }

    /// <summary>Store positions covered by the tables; later positions are the delta.</summary>
    public long IndexedCount { get; }

    /// <summary>The store generation the positions belong to.</summary>
    public long Generation { get; }

    public TimeSpan BuildTime { get; }

    /// <summary>Whether every table keeps a copy of its entries' codes (read several times per query: computed once).</summary>
    public bool HasCodes { get; }

    /// <summary>Bytes of all tables.</summary>
    public long ByteSize
    {
        get
        {
            long total = 0;
            foreach (MultiIndexHashTable t in Tables) total += t.ByteSize;
            return total;
        }
    }

    /// <summary>
    /// Builds the tables of <paramref name="split"/> over positions 0..count-1 (one table per core at a
    /// time), each with a copy of its entries' codes when <paramref name="codesInTables"/>. The token is
    /// checked between store blocks; <paramref name="progress"/> hears of each finished table.
    /// </summary>
    public static MultiIndexTables Build(StoreMemory memory, long count, long generation, SubstringSplit split, bool codesInTables,
        CancellationToken cancellationToken = default, IProgress<IndexProgress>? progress = null)
    {
        var watch = Stopwatch.StartNew();
        var tables = new MultiIndexHashTable[split.Count];
        int done = 0;
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(0, split.Count, parallel, j =>
        {
            tables[j] = MultiIndexTableBuilder.Build(memory, count, split, j, codesInTables, cancellationToken);
            progress?.Report(new IndexProgress(IndexOperation.BuildTables, Interlocked.Increment(ref done), split.Count));
        });
        cancellationToken.ThrowIfCancellationRequested(); // cancelled late is cancelled all the same: the caller keeps its old tables
        return new MultiIndexTables(split, tables, count, generation, watch.Elapsed);
    }
}
