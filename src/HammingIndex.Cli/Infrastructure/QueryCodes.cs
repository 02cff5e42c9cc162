using HammingIndex.Training;
using HammingIndex.Training.CrossModal;
using HammingIndex.Training.IO;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Loads query codes: a raw code file as is, or features encoded with a model.</summary>
internal static class QueryCodes
{
    /// <summary>
    /// The query codes for a store of <paramref name="bits"/>-bit codes whose model, when known, is
    /// <paramref name="storeFingerprint"/>: codes of another length or another model are refused.
    /// </summary>
    public static async Task<(ulong[] Codes, long[] Ids)> LoadAsync(CliConsole console, string path, int bits, ulong? storeFingerprint, string storePath,
        RawCodePacking? packing, string? modelPath, string? modality, CancellationToken cancellationToken)
    {
        StoreFiles.CheckInput(path);
        if (CodeSource.IsRawCodeInput(path))
        {
            LoadedCodes codes = await CodeSource.ReadAllAsync(path, CodeFiles.HasRawCodeHeader(path) ? null : bits, packing, cancellationToken);
            if (codes.Bits != bits)
                throw new CliException($"{path} holds {codes.Bits}-bit codes, but {storePath} holds {bits}-bit codes.");
            CodeSource.CheckSameModel(codes.ModelFingerprint, path, storeFingerprint, storePath);
            return (codes.Codes, codes.Ids);
        }
        if (modelPath is null)
            throw new CliException($"{path} holds features, not codes: give --model and --modality to encode them, or give a .codes file.");
        Modality side = ModalityCodes.Parse(modality);
        ScratchModel model = ModelFiles.Load(modelPath);
        ModelFiles.CheckBits(model, modelPath, bits, storePath);
        CodeSource.CheckSameModel(model.Fingerprint, modelPath, storeFingerprint, storePath);
        FeatureMatrix features = await FeatureInput.ReadAllAsync(console, path, cancellationToken);
        ModalityCodes.CheckDimension(model, side, features.Columns, path);
        ulong[] encoded = ModalityCodes.Encode(model, side, features);
        return (encoded, Enumerable.Range(0, features.Rows).Select(i => (long)i).ToArray());
    }
}
