using HammingIndex.Training.IO;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Loads and writes SCRATCH model files with command-line errors.</summary>
internal static class ModelFiles
{
    public static ScratchModel Load(string? path)
    {
        if (string.IsNullOrEmpty(path)) throw new CliException("--model is required.");
        if (Directory.Exists(path)) throw new CliException($"{path}: is a directory, not a model file.");
        if (!File.Exists(path)) throw new CliException($"{path}: no such model file.");
        return ScratchModel.Load(path);
    }

    /// <summary>Refuses a model whose code length differs from the store's.</summary>
    public static void CheckBits(ScratchModel model, string modelPath, int storeBits, string storePath)
    {
        if (model.Bits != storeBits)
            throw new CliException($"{modelPath} is a {model.Bits}-bit model, but {storePath} holds {storeBits}-bit codes.");
    }

    /// <summary>Checks, before training, that the model (--out) and the training codes (--train-codes, with their ids) can be written.</summary>
    public static void CheckOutputs(string modelPath, string? trainCodesPath, bool overwrite)
    {
        OutputPaths.Check(modelPath, "--out", overwrite);
        if (trainCodesPath is null) return;
        OutputPaths.Check(trainCodesPath, "--train-codes", overwrite);
        OutputPaths.Check(RawCodeFile.IdsPathFor(trainCodesPath), "--train-codes", overwrite);
    }

    /// <summary>
    /// Writes the model and, when asked, its training codes (ids = rows, stamped with the model's
    /// fingerprint): all flushed to disk before any is renamed into place, so a failure keeps the previous files.
    /// </summary>
    public static void Save(ScratchModel model, string modelPath, ulong[] trainingCodes, string? trainCodesPath)
    {
        using PendingFile modelFile = PendingFile.Create(modelPath);
        model.Save(modelFile.Stream);
        if (trainCodesPath is null)
        {
            PendingFile.CommitAll([modelFile]);
            return;
        }
        using RawCodeWriter codes = RawCodeWriter.Create(trainCodesPath, model.Layout.Bits, RawCodePacking.Words, writeIds: true, model.Fingerprint);
        int rows = trainingCodes.Length / model.Layout.WordsPerCode;
        codes.Write(trainingCodes, Enumerable.Range(0, rows).Select(i => (long)i).ToArray());
        PendingFile.CommitAll([modelFile, .. codes.Complete()]);
    }

    /// <summary>
    /// Reads the training codes B of <paramref name="model"/> (eval's --database-codes): a code file
    /// with a header, of the model's code length, stamped with its fingerprint (or with none).
    /// </summary>
    public static async Task<ulong[]> ReadTrainingCodesAsync(ScratchModel model, string modelPath, string path, CancellationToken cancellationToken)
    {
        StoreFiles.CheckInput(path);
        if (!CodeFiles.HasRawCodeHeader(path))
            throw new CliException($"{path} is not a code file with a header (written by 'hamming train --train-codes'): its code length and model cannot be checked.");
        LoadedCodes codes = await CodeSource.ReadAllAsync(path, null, null, cancellationToken);
        if (codes.Bits != model.Layout.Bits)
            throw new CliException($"{path} holds {codes.Bits}-bit codes, but {modelPath} is a {model.Layout.Bits}-bit model.");
        CodeSource.CheckSameModel(codes.ModelFingerprint, path, model.Fingerprint, modelPath);
        return codes.Codes;
    }
}
