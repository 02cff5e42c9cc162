using HammingIndex.Training.IO;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Loads query codes: a raw code file as is, or features encoded with a model.</summary>
internal static class QueryCodes
{
    public static async Task<(ulong[] Codes, long[] Ids)> LoadAsync(CliConsole console, string path, int bits, RawCodePacking packing,
        string? model, string? modality, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) throw new CliException($"{path}: no such file.");
        if (CodeSource.IsRawCodeFile(path))
            return await CodeSource.ReadAllAsync(path, bits, packing, cancellationToken);
        if (model is null)
            throw new CliException($"{path} holds features, not codes: give --model (and --modality) to encode them, or give a .codes file.");
        _ = console;
        _ = modality;
        // TODO(scratch): encode with ScratchModel once branch `scratch` lands.
        throw new CliException("encoding query features needs the SCRATCH model, which this build cannot load yet.");
    }
}
