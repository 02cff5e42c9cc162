using HammingIndex.Training.CrossModal;
using System.ComponentModel;
using HammingIndex.Cli.Infrastructure;
using HammingIndex.Storage;
using HammingIndex.Training.IO;
using HammingIndex.Training.Scratch;
using Spectre.Console;
using Spectre.Console.Cli;

namespace HammingIndex.Cli.Commands;

internal sealed class EncodeSettings : OutputSettings
{
    [CommandOption("-m|--model <PATH>")]
    [Description("(required) A model from 'hamming train'.")]
    public string Model { get; init; } = "";

    [CommandOption("--modality <MODALITY>")]
    [Description("Which hash function to apply: image or text.")]
    public string? Modality { get; init; }

    [CommandOption("-f|--features <PATH>")]
    [Description("(required) Features of that modality, one item per row (.npy, .fvecs, .bvecs, .csv, .tsv); streamed block by block.")]
    public string Features { get; init; } = "";

    [CommandOption("-o|--out <PATH>")]
    [Description("(required) Where the codes go: a store file (.hstore), or a raw code file (.codes, ids in <out>.ids).")]
    public string Out { get; init; } = "";

    [CommandOption("--first-id <ID>")]
    [Description("Id of the first row; row i gets id first-id + i.")]
    [DefaultValue(0L)]
    public long FirstId { get; init; }

    [CommandOption("--block-rows <N>")]
    [Description("Rows encoded per block (memory use grows with it, not with the file).")]
    [DefaultValue(4096)]
    public int BlockRows { get; init; }

    public override ValidationResult Validate()
    {
        foreach (var (name, value) in new[] { ("--model", Model), ("--features", Features), ("--out", Out) })
            if (string.IsNullOrEmpty(value)) return ValidationResult.Error($"{name} is required.");
        if (BlockRows < 1) return ValidationResult.Error($"--block-rows must be at least 1, not {BlockRows}.");
        return ValidationResult.Success();
    }
}

/// <summary><c>hamming encode</c>: stream a feature file through a model's hash function into a store or raw code file.</summary>
internal sealed class EncodeCommand(CliConsole console) : AsyncCommand<EncodeSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, EncodeSettings settings, CancellationToken cancellationToken)
    {
        Modality modality = ModalityCodes.Parse(settings.Modality);
        OutputPaths.Check(settings.Out, "--out", settings.Overwrite);
        if (CodeSource.IsRawCodeOutput(settings.Out)) OutputPaths.Check(RawCodeFile.IdsPathFor(settings.Out), "--out", settings.Overwrite);
        ScratchModel model = ModelFiles.Load(settings.Model);
        StoreFiles.CheckInput(settings.Features);
        await using IFeatureReader reader = await FeatureFiles.OpenAsync(settings.Features, cancellationToken);
        ModalityCodes.CheckDimension(model, modality, reader.Dimension, settings.Features);

        bool raw = CodeSource.IsRawCodeOutput(settings.Out);
        int bits = model.Layout.Bits;
        long rows;
        if (raw)
        {
            using var writer = RawCodeWriter.Create(settings.Out, bits, RawCodePacking.Words, writeIds: true, model.Fingerprint, settings.Overwrite);
            rows = await EncodeAsync(console, reader, model, modality, settings.BlockRows, settings.FirstId, writer.Write, cancellationToken);
            writer.Commit(); // codes and ids appear together, or not at all
        }
        else
        {
            using PendingStore pending = PendingStore.Create(settings.Out, bits); // renamed into place only when complete
            rows = await EncodeAsync(console, reader, model, modality, settings.BlockRows, settings.FirstId, pending.Store.AppendRange, cancellationToken);
            pending.Commit();
        }
        console.Ui.MarkupLineInterpolated($"encoded {rows:N0} {modality.ToString().ToLowerInvariant()} rows of {settings.Features} into {model.Bits}-bit codes in {settings.Out}");
        return 0;
    }

    public delegate void CodeSink(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> ids);

    /// <summary>Reads <paramref name="reader"/> block by block, encodes each block and hands it to <paramref name="sink"/>; memory is bounded by the block.</summary>
    public static Task<long> EncodeAsync(CliConsole console, IFeatureReader reader, ScratchModel model, Modality modality, int blockRows, long firstId,
        CodeSink sink, CancellationToken cancellationToken) =>
        ProgressRunner.RunAsync(console, async ctx =>
        {
            int dim = reader.Dimension, words = model.Layout.WordsPerCode;
            ProgressTask task = ctx.AddTask($"encode {Path.GetFileName(reader.FilePath)}", maxValue: Math.Max(1, reader.RowCount ?? 1));
            if (reader.RowCount is null) task.IsIndeterminate();
            var block = new double[blockRows * dim];
            var codes = new ulong[blockRows * words];
            var ids = new long[blockRows];
            long total = 0;
            int n;
            while ((n = await reader.ReadAsync(block, cancellationToken)) > 0)
            {
                ModalityCodes.Encode(model, modality, ModalityCodes.Block(block, n, dim), codes.AsMemory(0, n * words));
                for (int i = 0; i < n; i++) ids[i] = firstId + total + i;
                sink(codes.AsSpan(0, n * words), ids.AsSpan(0, n));
                total += n;
                if (reader.RowCount is not null) task.Value = total;
                else task.Description = $"encode {Path.GetFileName(reader.FilePath)}: {total:N0} rows";
            }
            task.IsIndeterminate(false);
            task.Value = task.MaxValue;
            return total;
        });
}
