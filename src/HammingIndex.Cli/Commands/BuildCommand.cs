using System.ComponentModel;
using HammingIndex.Cli.Infrastructure;
using HammingIndex.Indexing;
using HammingIndex.MultiIndex;
using HammingIndex.Storage;
using HammingIndex.Training.IO;
using Spectre.Console;
using Spectre.Console.Cli;

namespace HammingIndex.Cli.Commands;

internal sealed class BuildSettings : OutputSettings
{
    [CommandOption("-c|--codes <PATH>")]
    [Description("(required) The codes: a raw code file (.codes; headerless ones with --bits; ids from <file>.ids when present, else row numbers) or a store file (.hstore; recognised by its content).")]
    public string Codes { get; init; } = "";

    [CommandOption("-b|--bits <BITS>")]
    [Description("Code length of a headerless raw code file (one with a header says its own; given, it must agree).")]
    public int? Bits { get; init; }

    [CommandOption("--packing <PACKING>")]
    [Description("Layout of a headerless raw code file: words (the default) or bytes.")]
    public RawCodePacking? Packing { get; init; }

    [CommandOption("-o|--out <PATH>")]
    [Description("The store file to write (needed for raw codes; by default <codes>.hstore).")]
    public string? Out { get; init; }

    [CommandOption("--substrings <M>")]
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
        StoreFiles.CheckInput(settings.Codes);
        if (CodeFiles.IsStore(settings.Codes))
        {
            using CodeStore store = StoreFiles.OpenStoreFile(settings.Codes, settings.Bits, console);
            CheckSubstrings(settings.Substrings, store.Bits);
            string tables = store.Path + MultiIndexHash.FileExtension;
            MultiIndexHash index = await BuildIndexAsync(console, store, settings.Substrings, tables, cancellationToken);
            Report(store, settings.Codes, index);
            console.Ui.MarkupLineInterpolated($"tables saved to {tables} (loaded by search; rebuilt there if stale)");
            return 0;
        }

        await using RawCodeReader reader = CodeSource.OpenRaw(settings.Codes, settings.Bits, settings.Packing);
        int bits = reader.Layout.Bits;
        CheckSubstrings(settings.Substrings, bits);
        string output = settings.Out ?? Path.ChangeExtension(settings.Codes, StoreFiles.Extension);
        if (Path.GetFullPath(output) == Path.GetFullPath(settings.Codes))
            throw new CliException($"--out {output} is the input file; name another store file.");
        OutputPaths.Check(output, "--out", settings.Overwrite);
        using PendingStore pending = PendingStore.Create(output, bits); // renamed into place only when complete
        await CodeSource.ImportAsync(console, reader, pending.Store, cancellationToken);
        pending.Store.Flush();
        MultiIndexHash built = await BuildIndexAsync(console, pending.Store, settings.Substrings, pending.TemporaryTablesPath, cancellationToken);
        Report(pending.Store, output, built);
        pending.Commit(withTables: true);
        console.Ui.MarkupLineInterpolated($"tables saved to {output + MultiIndexHash.FileExtension} (loaded by search; rebuilt there if stale)");
        return 0;
    }

    /// <summary>Refuses a --substrings value the code length cannot take, before any work.</summary>
    private static void CheckSubstrings(int? substrings, int bits)
    {
        int min = SubstringSplit.MinCount(bits);
        if (substrings is int m && m != 0 && (m < min || m > bits))
            throw new CliException($"--substrings {m}: {bits}-bit codes take 0 (automatic) or {min}..{bits} substrings.");
    }

    private void Report(CodeStore store, string path, MultiIndexHash index)
    {
        console.Ui.MarkupLineInterpolated($"{Path.GetFullPath(path)}: {store.LiveCount:N0} live {store.Bits}-bit codes ({store.Count:N0} positions)");
        console.Ui.MarkupLineInterpolated($"multi-index: m = {index.SubstringCount} tables (substring bits {string.Join(", ", index.SubstringLengths)}), built in {index.BuildTime.TotalSeconds:F2} s, {index.TableBytesPerCode:F1} bytes per code");
    }

    /// <summary>
    /// Builds the multi-index over <paramref name="store"/> under a progress display: with
    /// <paramref name="tablesPath"/>, out of core straight into that mapped tables file (bounded memory,
    /// any store size, written atomically; a table a step); without, in memory.
    /// </summary>
    public static Task<MultiIndexHash> BuildIndexAsync(CliConsole console, CodeStore store, int? substrings = null, string? tablesPath = null,
        CancellationToken cancellationToken = default) =>
        ProgressRunner.RunAsync(console, ctx =>
        {
            var options = substrings is int m ? new MultiIndexOptions { SubstringCount = m } : null;
            ProgressTask task = ctx.AddTask($"build multi-index over {store.LiveCount:N0} codes").IsIndeterminate();
            MultiIndexHash index;
            if (tablesPath is null) index = new MultiIndexHash(store, options);
            else
            {
                var progress = new Progress<IndexProgress>(p =>
                {
                    task.IsIndeterminate(false);
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                });
                index = MultiIndexHash.Build(store, tablesPath, options, progress, cancellationToken);
            }
            task.IsIndeterminate(false);
            task.Value = task.MaxValue;
            return Task.FromResult(index);
        });
}
