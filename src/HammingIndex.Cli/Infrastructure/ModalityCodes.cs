using HammingIndex.Training;
using HammingIndex.Training.CrossModal;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Encoding features of one modality with a model, with the checks the command line needs.</summary>
internal static class ModalityCodes
{
    public static Modality Parse(string? value, string option = "--modality") => value?.Trim().ToLowerInvariant() switch
    {
        "image" or "images" or "img" or "i" => Modality.Image,
        "text" or "texts" or "txt" or "t" => Modality.Text,
        null or "" => throw new CliException($"{option} is required: image or text."),
        _ => throw new CliException($"{option} must be image or text, not '{value}'."),
    };

    /// <summary>Input dimension the model's <paramref name="modality"/> side expects.</summary>
    public static int Dimension(ScratchModel model, Modality modality) =>
        modality == Modality.Image ? model.ImageMap.InputDimension : model.TextMap.InputDimension;

    /// <summary>Refuses features whose width is not the model's for that modality, naming the file.</summary>
    public static void CheckDimension(ScratchModel model, Modality modality, int columns, string file)
    {
        int expected = Dimension(model, modality);
        if (columns != expected)
            throw new CliException($"{file}: rows have {columns} values, but the model's {modality.ToString().ToLowerInvariant()} side expects {expected}. Wrong file or wrong --modality?");
    }

    /// <summary>
    /// The first <paramref name="rows"/> rows of a reused read buffer as a matrix: the buffer itself
    /// when it holds exactly that many (no copy), else a copy of those rows (the short last block of a file).
    /// </summary>
    public static FeatureMatrix Block(double[] buffer, int rows, int columns) =>
        buffer.Length == (long)rows * columns ? new FeatureMatrix(rows, columns, buffer) : new FeatureMatrix(rows, columns, buffer[..(rows * columns)]);

    public static ulong[] Encode(ScratchModel model, Modality modality, FeatureMatrix features) =>
        modality == Modality.Image ? model.EncodeImages(features) : model.EncodeTexts(features);

    public static void Encode(ScratchModel model, Modality modality, FeatureMatrix rows, Memory<ulong> destination)
    {
        if (modality == Modality.Image) model.EncodeImages(rows, destination);
        else model.EncodeTexts(rows, destination);
    }
}
