using System.ComponentModel;
using HammingIndex.Cli.Infrastructure;
using HammingIndex.MultiIndex;
using HammingIndex.Storage;
using HammingIndex.Training.IO;
using Spectre.Console;
using Spectre.Console.Cli;

namespace HammingIndex.Cli.Commands;

internal sealed class BuildSettings : CommonSettings
{
    [CommandOption("-c|--codes <PATH>")]
    [Description("The codes: a raw code file (.codes, with --bits; ids from <file>.ids when present, else row numbers) or a store file (.hstore).")]
    public string Codes { get; init; } = "";

    [CommandOption("-b|--bits <BITS>")]
    [Description("Code length of a raw .codes file.")]
    public int? Bits { get; init; }

    [CommandOption("--packing <PACKING>")]
    [Description("Layout of a raw .codes file: words or bytes.")]
    [DefaultValue(RawCodePacking.Words)]
    public RawCodePacking Packing { get; init; }

    [CommandOption("-o|--out <PATH>")]
    [Description("The store file to write (needed for raw codes; by default <codes>.hstore).")]
    public string? Out { get; init; }

    [CommandOption("--overwrite")]
    [Description("Replace --out if it exists.")]
    public bool Overwrite { get; init; }

    [CommandOption("-m|--substrings <M>")]
    [Description("Number of multi-index substrings (tables); by default about bits / log2(n).")]
    public int? Substrings { get; init; }

    public override ValidationResult Validate() =>
        string.IsNullOrEmpty(Codes) ? ValidationResult.Error("--codes is required.") : ValidationResult.Success();
}

/// <summary><c>hamming build</c>: import codes into a store file and build the multi-index tables over it.</summary>
internal sealed class BuildCommand(CliConsole console) : AsyncCommand<BuildSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, BuildSettings settings, CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.Codes)) throw new CliException($"{settings.Codes}: no such file.");
        CodeStore store;
        if (CodeSource.IsRawCodeFile(settings.Codes))
        {
            if (settings.Bits is not int bits) throw new CliException($"{settings.Codes} is a raw code file: give its code length with --bits.");
            await using RawCodeReader reader = RawCodeReader.Open(settings.Codes, bits, settings.Packing);
            string output = settings.Out ?? Path.ChangeExtension(settings.Codes, StoreFiles.Extension);
            store = StoreFiles.CreateStoreFile(output, bits, settings.Overwrite);
            try
            {
                await CodeSource.ImportAsync(console, reader, store, cancellationToken);
                store.Flush();
            }
            catch
            {
                store.Dispose();
                File.Delete(output); // never leave a partial import behind
                throw;
            }
        }
        else
        {
            store = StoreFiles.OpenStoreFile(settings.Codes, settings.Bits, console);
        }
        using (store)
        {
            MultiIndexHash index = await BuildIndexAsync(console, store, settings.Substrings);
            console.Ui.MarkupLineInterpolated($"{store.Path}: {store.LiveCount:N0} live {store.Bits}-bit codes ({store.Count:N0} positions)");
            console.Ui.MarkupLineInterpolated($"multi-index: m = {index.SubstringCount} tables (substring bits {string.Join(", ", index.SubstringLengths)}), built in {index.BuildTime.TotalSeconds:F2} s, {index.TableBytesPerCode:F1} bytes per code");
            string tables = store.Path + MultiIndexHash.FileExtension;
            index.Save(tables);
            console.Ui.MarkupLineInterpolated($"tables saved to {tables} (loaded by search; rebuilt there if stale)");
        }
        return 0;
    }

    /// <summary>Builds the multi-index over <paramref name="store"/> under a progress display.</summary>
    public static Task<MultiIndexHash> BuildIndexAsync(CliConsole console, CodeStore store, int? substrings = null) =>
        ProgressRunner.RunAsync(console, ctx =>
        {
            ProgressTask task = ctx.AddTask($"build multi-index over {store.LiveCount:N0} codes").IsIndeterminate();
            var index = new MultiIndexHash(store, substrings is int m ? new MultiIndexOptions { SubstringCount = m } : null);
            task.IsIndeterminate(false);
            task.Value = task.MaxValue;
            return Task.FromResult(index);
        });
}
