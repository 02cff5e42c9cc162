using System.ComponentModel;
using HammingIndex.Cli.Infrastructure;
using HammingIndex.Storage;
using HammingIndex.Training.IO;
using Spectre.Console;
using Spectre.Console.Cli;

namespace HammingIndex.Cli.Commands;

internal sealed class ExportSettings : OutputSettings
{
    [CommandOption("-s|--store <PATH>")]
    [Description("(required) The store file to read.")]
    public string Store { get; init; } = "";

    [CommandOption("-o|--out <PATH>")]
    [Description("(required) The raw code file to write (ids go to <out>.ids).")]
    public string Out { get; init; } = "";

    [CommandOption("--packing <PACKING>")]
    [Description("Layout of the output: words (ceil(bits/64) little-endian ulongs per code) or bytes (ceil(bits/8) bytes).")]
    [DefaultValue(RawCodePacking.Words)]
    public RawCodePacking Packing { get; init; }

    [CommandOption("--no-ids")]
    [Description("Do not write the .ids sidecar.")]
    public bool NoIds { get; init; }

    public override ValidationResult Validate()
    {
        if (string.IsNullOrEmpty(Store)) return ValidationResult.Error("--store is required.");
        if (string.IsNullOrEmpty(Out)) return ValidationResult.Error("--out is required.");
        return ValidationResult.Success();
    }
}

/// <summary><c>hamming export</c>: the live codes of a store, in position order, to a raw code file.</summary>
internal sealed class ExportCommand(CliConsole console) : AsyncCommand<ExportSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, ExportSettings settings, CancellationToken cancellationToken)
    {
        StoreFiles.CheckInput(settings.Store);
        OutputPaths.Check(settings.Out, "--out", settings.Overwrite);
        if (!settings.NoIds) OutputPaths.Check(RawCodeFile.IdsPathFor(settings.Out), "--out", settings.Overwrite);
        using CodeStore store = StoreFiles.OpenStoreFile(settings.Store, null, console);
        using CodeStoreSnapshot snapshot = store.AcquireSnapshot();
        using var writer = RawCodeWriter.Create(settings.Out, store.Bits, settings.Packing, writeIds: !settings.NoIds);
        int words = store.Layout.WordsPerCode;
        for (int b = 0; b < snapshot.BlockCount; b++)
        {
            CodeBlock block = snapshot.GetBlock(b);
            for (int i = 0; i < block.Count; i++)
            {
                if (block.IsDeleted(i)) continue;
                writer.Write(block.Codes.Slice(i * words, words), block.Ids.Slice(i, 1));
            }
        }
        writer.Commit(); // the code file and its ids appear together, or not at all
        console.Ui.MarkupLineInterpolated($"wrote {writer.Count:N0} {store.Bits}-bit codes to {settings.Out}{(settings.NoIds ? "" : $" (ids in {RawCodeFile.IdsPathFor(settings.Out)})")}");
        return Task.FromResult(0);
    }
}
