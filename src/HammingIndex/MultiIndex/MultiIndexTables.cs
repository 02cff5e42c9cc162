using HammingIndex.Indexing;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

/// <summary>
/// One immutable build of a multi-index: the substring split and its m tables over store positions
/// 0..IndexedCount-1 of one store generation, read in place from one <see cref="TablesImage"/>
/// (native memory, or a mapped tables file). Searches hold a reference while they run (which keeps
/// the image's bytes alive); a rebuild publishes a new instance.
/// </summary>
internal sealed class MultiIndexTables
{
    public MultiIndexTables(SubstringSplit split, MultiIndexHashTable[] tables, TablesImage image, MultiIndexFile.Layout layout,
        long indexedCount, long generation, TimeSpan buildTime)
    {
        Split = split;
        Tables = tables;
        Image = image;
        Layout = layout;
        IndexedCount = indexedCount;
        Generation = generation;
        BuildTime = buildTime;
        HasCodes = Array.TrueForAll(tables, t => t.HasCodes);
    }

    public SubstringSplit Split { get; }

    public MultiIndexHashTable[] Tables { get; }

    /// <summary>The bytes the tables are read from.</summary>
    public TablesImage Image { get; }

    public MultiIndexFile.Layout Layout { get; }

    /// <summary>Whether the tables are read from a mapped file (else native memory).</summary>
    public bool IsMapped => Image.Path is not null;

    /// <summary>Store positions covered by the tables; later positions are the delta.</summary>
    public long IndexedCount { get; }

    /// <summary>The store generation the positions belong to.</summary>
    public long Generation { get; }

    public TimeSpan BuildTime { get; }

    /// <summary>Whether every table keeps a copy of its entries' codes (read several times per query: computed once).</summary>
    public bool HasCodes { get; }

    /// <summary>Bytes of the image (header, sections and their page padding; the file's length when mapped).</summary>
    public long ByteSize => Image.Length;

    /// <summary>The same build, saying it took <paramref name="buildTime"/>.</summary>
    public MultiIndexTables WithBuildTime(TimeSpan buildTime) => new(Split, Tables, Image, Layout, IndexedCount, Generation, buildTime);

    /// <summary>
    /// Builds the tables of <paramref name="split"/> over positions 0..count-1 into native memory, or, with
    /// <paramref name="path"/>, into that file (atomically) and maps it. The token is checked between store
    /// blocks; <paramref name="progress"/> hears of each finished table (<see cref="IndexOperation.BuildTables"/>).
    /// </summary>
    public static MultiIndexTables Build(StoreMemory memory, long count, long generation, SubstringSplit split, TableBuildSettings settings,
        CancellationToken cancellationToken = default, IProgress<IndexProgress>? progress = null, string? path = null, StoreFileSystem? fileSystem = null)
    {
        MultiIndexTables built = MultiIndexTableBuilder.Build(memory, count, generation, split, settings, path, fileSystem ?? StoreFileSystem.Default, cancellationToken, progress);
        cancellationToken.ThrowIfCancellationRequested(); // cancelled late is cancelled all the same: the caller keeps its old tables
        return built;
    }
}
