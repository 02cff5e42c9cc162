using Spectre.Console;
using HammingIndex.Storage;
using HammingIndex.Training.IO;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Opens the code collection a command names: a store file, or a raw code file imported into memory.</summary>
internal static class StoreFiles
{
    /// <summary>The extension the tool gives store files.</summary>
    public const string Extension = ".hstore";

    public static async Task<CodeStore> OpenAsync(CliConsole console, string path, int? bits, RawCodePacking packing, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) throw new CliException($"{path}: no such file.");
        if (CodeSource.IsRawCodeFile(path))
        {
            if (bits is not int b) throw new CliException($"{path} is a raw code file: give its code length with --bits.");
            await using RawCodeReader reader = RawCodeReader.Open(path, b, packing);
            var store = CodeStore.CreateInMemory(b);
            await CodeSource.ImportAsync(console, reader, store, cancellationToken);
            return store;
        }
        return OpenStoreFile(path, bits, console);
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

    /// <summary>Creates a new store file at <paramref name="path"/>, replacing an existing one only with <paramref name="overwrite"/>.</summary>
    public static CodeStore CreateStoreFile(string path, int bits, bool overwrite)
    {
        if (File.Exists(path))
        {
            if (!overwrite) throw new CliException($"{path} already exists; give --overwrite to replace it.");
            File.Delete(path);
        }
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        return CodeStore.Create(path, bits);
    }
}
