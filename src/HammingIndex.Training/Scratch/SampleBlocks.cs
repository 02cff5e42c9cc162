namespace HammingIndex.Training.Scratch;

/// <summary>
/// How sample rows are cut for streaming passes: blocks of <see cref="BlockRows"/> rows, grouped
/// into at most <see cref="MaxChunks"/> contiguous chunks. Chunks run in parallel and each writes its
/// own partial sums, which are then added in chunk order: the result depends only on n, never on
/// the number of threads, so training is reproducible for a seed on any machine.
/// </summary>
internal static class SampleBlocks
{
    /// <summary>Rows per block (the unit of kernel-feature computation and of every product).</summary>
    public const int BlockRows = 256;

    /// <summary>Upper bound on chunks (bounds the memory of partial sums).</summary>
    public const int MaxChunks = 64;

    public static int BlockCount(int n) => (n + BlockRows - 1) / BlockRows;

    public static int ChunkCount(int n) => Math.Max(1, Math.Min(BlockCount(n), MaxChunks));

    /// <summary>Blocks [first, end) of chunk <paramref name="chunk"/>.</summary>
    public static (int First, int End) ChunkBlocks(int n, int chunks, int chunk)
    {
        int blocks = BlockCount(n);
        return ((int)((long)blocks * chunk / chunks), (int)((long)blocks * (chunk + 1) / chunks));
    }

    /// <summary>First row and row count of block <paramref name="block"/>.</summary>
    public static (int Start, int Count) BlockRange(int n, int block)
    {
        int start = block * BlockRows;
        return (start, Math.Min(BlockRows, n - start));
    }

    /// <summary>Runs <paramref name="body"/> for every chunk, in parallel, with one workspace per worker.</summary>
    public static void ForEachChunk<TWorkspace>(int chunks, int maxDegreeOfParallelism, Func<TWorkspace> createWorkspace, Action<int, TWorkspace> body,
        Action<TWorkspace>? releaseWorkspace = null)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism <= 0 ? -1 : maxDegreeOfParallelism };
        Parallel.For(0, chunks, options, createWorkspace, (chunk, _, workspace) =>
        {
            body(chunk, workspace);
            return workspace;
        }, workspace => releaseWorkspace?.Invoke(workspace));
    }
}
