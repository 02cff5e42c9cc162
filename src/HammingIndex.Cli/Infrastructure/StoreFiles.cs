using HammingIndex.Storage;
using HammingIndex.Training.IO;
using Spectre.Console;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Opens the code collection a command names: a store file (recognised by its magic), or a raw code file imported into memory.</summary>
internal static class StoreFiles
{
    /// <summary>The extension the tool gives store files (the library's, <see cref="CodeFiles.StoreExtension"/>).</summary>
    public const string Extension = CodeFiles.StoreExtension;

    /// <summary>Opens <paramref name="path"/>; also returns the fingerprint of the model that made the codes, when a raw code file says it.</summary>
    public static async Task<(CodeStore Store, ulong? ModelFingerprint)> OpenAsync(CliConsole console, string path, int? bits, RawCodePacking? packing, CancellationToken cancellationToken)
    {
        CheckInput(path);
        if (CodeFiles.IsStore(path)) return (OpenStoreFile(path, bits, console), null);
        await using RawCodeReader reader = CodeSource.OpenRaw(path, bits, packing);
        var store = CodeStore.CreateInMemory(reader.Layout.Bits);
        try
        {
            await CodeSource.ImportAsync(console, reader, store, cancellationToken);
        }
        catch
        {
            store.Dispose();
            throw;
        }
        return (store, reader.ModelFingerprint);
    }

    /// <summary>Refuses a missing input or a directory with one clear line.</summary>
    public static void CheckInput(string path)
    {
        if (Directory.Exists(path)) throw new CliException($"{path}: is a directory, not a code file.");
        if (!File.Exists(path)) throw new CliException($"{path}: no such file.");
    }

    /// <summary>Opens a store file; reports a recovered crash tail on the status console; checks <paramref name="bits"/> when given.</summary>
    public static CodeStore OpenStoreFile(string path, int? bits, CliConsole? console = null)
    {
        CodeStore store = CodeStore.Open(path);
        if (store.RecoveryInfo is { IsClean: false } info && console is not null)
            console.Status.MarkupLineInterpolated($"[yellow]{path}: recovered after an interrupted write: dropped {info.DroppedCodes} unflushed codes, {info.DroppedDeletes} deletes.[/]");
        if (bits is int b && b != store.Bits)
        {
            store.Dispose();
            throw new CliException($"{path} holds {store.Bits}-bit codes, but --bits {b} was given.");
        }
        return store;
    }
}
