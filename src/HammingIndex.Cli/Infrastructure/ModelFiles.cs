using HammingIndex.Training.Scratch;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Loads SCRATCH model files with command-line errors.</summary>
internal static class ModelFiles
{
    public static ScratchModel Load(string? path)
    {
        if (string.IsNullOrEmpty(path)) throw new CliException("--model is required.");
        if (!File.Exists(path)) throw new CliException($"{path}: no such model file.");
        return ScratchModel.Load(path);
    }

    /// <summary>Refuses a model whose code length differs from the store's.</summary>
    public static void CheckBits(ScratchModel model, string modelPath, int storeBits, string storePath)
    {
        if (model.Bits != storeBits)
            throw new CliException($"{modelPath} is a {model.Bits}-bit model, but {storePath} holds {storeBits}-bit codes.");
    }
}
