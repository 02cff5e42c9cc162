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
        return OpenStoreFile(path, bits);
    }

    public static CodeStore OpenStoreFile(string path, int? bits)
    {
        // TODO(storage): CodeStore.Open(path) once branch `storage` lands.
        _ = bits;
        throw new CliException($"{path}: store files are not supported by this build yet; give a raw .codes file with --bits.");
    }
}
