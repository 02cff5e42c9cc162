using HammingIndex.Storage;
using HammingIndex.Training.IO;
using Spectre.Console;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Loads codes given on the command line: a raw code file (.codes/.bin, with --bits) or a store file.</summary>
internal static class CodeSource
{
    /// <summary>Codes read per block while importing.</summary>
    public const int BlockCodes = 1 << 16;

    public static bool IsRawCodeFile(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is RawCodeFile.Extension or ".bin";

    /// <summary>Streams a raw code file into <paramref name="store"/> block by block, with a progress bar.</summary>
    public static async Task<long> ImportAsync(CliConsole console, RawCodeReader reader, CodeStore store, CancellationToken cancellationToken)
    {
        int words = reader.Layout.WordsPerCode;
        var codes = new ulong[BlockCodes * words];
        var ids = new long[BlockCodes];
        return await ProgressRunner.RunAsync(console, async ctx =>
        {
            ProgressTask task = ctx.AddTask($"import {Path.GetFileName(reader.FilePath)}", maxValue: Math.Max(1, reader.Count));
            long total = 0;
            int n;
            while ((n = await reader.ReadAsync(codes, ids, cancellationToken)) > 0)
            {
                store.AppendRange(codes.AsSpan(0, n * words), ids.AsSpan(0, n));
                total += n;
                task.Value = total;
            }
            task.Value = task.MaxValue;
            return total;
        });
    }

    /// <summary>Reads every code of a raw code file into memory (for query sets).</summary>
    public static async Task<(ulong[] Codes, long[] Ids)> ReadAllAsync(string path, int bits, RawCodePacking packing, CancellationToken cancellationToken)
    {
        await using RawCodeReader reader = RawCodeReader.Open(path, bits, packing);
        int words = reader.Layout.WordsPerCode;
        var codes = new ulong[checked((int)(reader.Count * words))];
        var ids = new long[reader.Count];
        int done = 0;
        int n;
        while (done < reader.Count && (n = await reader.ReadAsync(codes.AsMemory(done * words), ids.AsMemory(done), cancellationToken)) > 0) done += n;
        return (codes, ids);
    }
}
