using HammingIndex.Training;
using HammingIndex.Training.CrossModal;
using HammingIndex.Training.IO;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Loads query codes: a raw code file as is, or features encoded with a model.</summary>
internal static class QueryCodes
{
    public static async Task<(ulong[] Codes, long[] Ids)> LoadAsync(CliConsole console, string path, int bits, string storePath, RawCodePacking packing,
        string? modelPath, string? modality, CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) throw new CliException($"{path}: no such file.");
        if (CodeSource.IsRawCodeFile(path))
            return await CodeSource.ReadAllAsync(path, bits, packing, cancellationToken);
        if (modelPath is null)
            throw new CliException($"{path} holds features, not codes: give --model and --modality to encode them, or give a .codes file.");
        Modality side = ModalityCodes.Parse(modality);
        ScratchModel model = ModelFiles.Load(modelPath);
        ModelFiles.CheckBits(model, modelPath, bits, storePath);
        FeatureMatrix features = await FeatureInput.ReadAllAsync(console, path, cancellationToken);
        ModalityCodes.CheckDimension(model, side, features.Columns, path);
        ulong[] codes = ModalityCodes.Encode(model, side, features);
        return (codes, Enumerable.Range(0, features.Rows).Select(i => (long)i).ToArray());
    }
}
