using HammingIndex.Storage;
using HammingIndex.Training.IO;
using Spectre.Console;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Codes read from a raw code file: the codes, their ids, the code length and the model that made them (null: not known).</summary>
internal sealed record LoadedCodes(ulong[] Codes, long[] Ids, int Bits, ulong? ModelFingerprint);

/// <summary>
/// Loads codes given on the command line. A store is recognised by its magic, whatever its name; any
/// other file is a raw code file (<see cref="RawCodeFile"/>): with a header it says its own code
/// length and model, without one it needs --bits.
/// </summary>
internal static class CodeSource
{
    /// <summary>Codes read per block while importing.</summary>
    public const int BlockCodes = 1 << 16;

    /// <summary>Whether an output path names a raw code file (.codes/.bin) rather than a store.</summary>
    public static bool IsRawCodeOutput(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is RawCodeFile.Extension or ".bin";

    /// <summary>Whether an input file holds codes rather than features: a raw code file with a header, or named .codes/.bin.</summary>
    public static bool IsRawCodeInput(string path) => CodeFiles.HasRawCodeHeader(path) || (IsRawCodeOutput(path) && !CodeFiles.IsStore(path));

    /// <summary>Opens a raw code file; a headerless one only with <paramref name="bits"/> (the --bits option).</summary>
    public static RawCodeReader OpenRaw(string path, int? bits, RawCodePacking? packing)
    {
        if (bits is null && !CodeFiles.HasRawCodeHeader(path))
            throw new CliException($"{path} is a raw code file without a header: give its code length with --bits.");
        return RawCodeReader.Open(path, bits, packing);
    }

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

    /// <summary>Reads every code of a raw code file into memory (for query sets); <paramref name="bits"/>, when given, must be the file's.</summary>
    public static async Task<LoadedCodes> ReadAllAsync(string path, int? bits, RawCodePacking? packing, CancellationToken cancellationToken)
    {
        await using RawCodeReader reader = OpenRaw(path, bits, packing);
        int words = reader.Layout.WordsPerCode;
        var codes = new ulong[checked((int)(reader.Count * words))];
        var ids = new long[reader.Count];
        int done = 0;
        int n;
        while (done < reader.Count && (n = await reader.ReadAsync(codes.AsMemory(done * words), ids.AsMemory(done), cancellationToken)) > 0) done += n;
        return new LoadedCodes(codes, ids, reader.Layout.Bits, reader.ModelFingerprint);
    }

    /// <summary>Refuses codes made by a model other than the one that made <paramref name="otherPath"/>'s (when both are known).</summary>
    public static void CheckSameModel(ulong? fingerprint, string path, ulong? otherFingerprint, string otherPath)
    {
        if (fingerprint is ulong a && otherFingerprint is ulong b && a != b)
            throw new CliException($"{path} holds codes of another model than {otherPath} (model fingerprints 0x{a:X16} and 0x{b:X16}): their distances mean nothing.");
    }
}
