using System.ComponentModel;
using System.Diagnostics;
using HammingIndex.Cli.Infrastructure;
using HammingIndex.Codes;
using HammingIndex.Storage;
using HammingIndex.Training.IO;
using Spectre.Console;
using Spectre.Console.Cli;

namespace HammingIndex.Cli.Commands;

internal sealed class GenerateSettings : OutputSettings
{
    [CommandOption("-n|--count <N>")]
    [Description("(required) Number of codes to write (up to 2^40); ids are 0..N-1.")]
    public long? Count { get; init; }

    [CommandOption("-o|--out <PATH>")]
    [Description("(required) The store file to write (.hstore).")]
    public string Out { get; init; } = "";

    [CommandOption("--kind <KIND>")]
    [Description("uniform (every bit fair) or clustered (a random centre, each bit flipped with --flip).")]
    [DefaultValue(GeneratedKind.Uniform)]
    public GeneratedKind Kind { get; init; }

    [CommandOption("-b|--bits <BITS>")]
    [Description("Code length, 8..4096.")]
    [DefaultValue(64)]
    public int Bits { get; init; }

    [CommandOption("--centres <C>")]
    [Description("Number of centres of clustered codes.")]
    [DefaultValue(1_000_000L)]
    public long Centres { get; init; }

    [CommandOption("--flip <P>")]
    [Description("Probability that a clustered code differs from its centre in each bit (0..1, to within 2^-25).")]
    [DefaultValue(0.1)]
    public double Flip { get; init; }

    [CommandOption("--seed <SEED>")]
    [Description("Seed: the same seed and options give the same bytes, whatever the thread count.")]
    [DefaultValue(1L)]
    public long Seed { get; init; }

    [CommandOption("--queries <Q>")]
    [Description("Also draw Q query codes the same way (the same centres, another stream); needs --queries-out.")]
    public int? Queries { get; init; }

    [CommandOption("--queries-out <PATH>")]
    [Description("The raw code file (.codes, with a header) the queries go to.")]
    public string? QueriesOut { get; init; }

    [CommandOption("--threads <T>")]
    [Description("Threads drawing codes; by default every core.")]
    public int? Threads { get; init; }

    [CommandOption("--flush-every <N>")]
    [Description("Commit the store every N codes (a crash keeps what was committed; the file appears only when complete).")]
    [DefaultValue(1L << 26)]
    public long FlushEvery { get; init; }

    public override ValidationResult Validate()
    {
        if (Count is null) return ValidationResult.Error("--count (-n) is required.");
        if (Count < 0 || Count > 1L << 40) return ValidationResult.Error($"--count must be in 0..2^40, not {Count}.");
        if (string.IsNullOrEmpty(Out)) return ValidationResult.Error("--out is required.");
        if (Bits is < CodeLayout.MinBits or > CodeLayout.MaxBits) return ValidationResult.Error($"--bits must be in {CodeLayout.MinBits}..{CodeLayout.MaxBits}, not {Bits}.");
        if (Centres < 1) return ValidationResult.Error($"--centres must be at least 1, not {Centres}.");
        if (!(Flip >= 0 && Flip <= 1)) return ValidationResult.Error($"--flip must be in 0..1, not {Flip}.");
        if (Queries is < 0) return ValidationResult.Error($"--queries must be at least 0, not {Queries}.");
        if (Queries is not null && string.IsNullOrEmpty(QueriesOut)) return ValidationResult.Error("--queries needs --queries-out, the file the queries go to.");
        if (Queries is null && !string.IsNullOrEmpty(QueriesOut)) return ValidationResult.Error("--queries-out needs --queries, the number of queries.");
        if (Threads is < 1) return ValidationResult.Error($"--threads must be at least 1, not {Threads}.");
        if (FlushEvery < 1) return ValidationResult.Error($"--flush-every must be at least 1, not {FlushEvery}.");
        return ValidationResult.Success();
    }
}

/// <summary>
/// <c>hamming generate</c>: streams N seeded synthetic codes (uniform or clustered) into a store file,
/// and optionally a query file drawn the same way. Memory is bounded by one batch of codes whatever N is.
/// </summary>
internal sealed class GenerateCommand(CliConsole console) : AsyncCommand<GenerateSettings>
{
    /// <summary>Codes drawn per batch (then appended in one call): 64 chunks.</summary>
    private const int BatchCodes = 64 * CodeGenerator.ChunkCodes;

    public override async Task<int> ExecuteAsync(CommandContext context, GenerateSettings settings, CancellationToken cancellationToken)
    {
        long n = settings.Count!.Value;
        OutputPaths.Check(settings.Out, "--out", settings.Overwrite);
        if (settings.QueriesOut is { } queriesOut)
        {
            OutputPaths.Check(queriesOut, "--queries-out", settings.Overwrite);
            if (Path.GetFullPath(queriesOut) == Path.GetFullPath(settings.Out))
                throw new CliException($"--queries-out {queriesOut} is the --out file; name another file.");
        }
        var layout = new CodeLayout(settings.Bits);
        var generator = new CodeGenerator(layout, settings.Kind, unchecked((ulong)settings.Seed), settings.Centres, settings.Flip);
        int threads = settings.Threads ?? Environment.ProcessorCount;
        string what = settings.Kind == GeneratedKind.Uniform
            ? "uniform"
            : $"clustered ({settings.Centres:N0} centres, flip {generator.EffectiveFlip:G6})";

        var clock = Stopwatch.StartNew();
        using (PendingStore pending = PendingStore.Create(settings.Out, settings.Bits))
        {
            await ProgressRunner.RunAsync(console, ctx =>
            {
                ProgressTask task = ctx.AddTask($"generate {HumanNumbers.Si(n, "")} {what} {settings.Bits}-bit codes", maxValue: Math.Max(1, n));
                WriteStore(generator, pending.Store, n, threads, settings.FlushEvery, task, cancellationToken);
                task.Value = task.MaxValue;
                return Task.CompletedTask;
            });
            pending.Commit();
        }
        double seconds = clock.Elapsed.TotalSeconds;
        console.Ui.MarkupLineInterpolated($"wrote {n:N0} {what} {settings.Bits}-bit codes to {Path.GetFullPath(settings.Out)} in {seconds:F1} s ({HumanNumbers.Si(n / Math.Max(seconds, 1e-9), "codes/s")})");

        if (settings.QueriesOut is { } path)
        {
            int q = settings.Queries!.Value;
            var codes = new ulong[(long)q * layout.WordsPerCode];
            generator.Fill(stream: 1, first: 0, codes, threads);
            using var writer = RawCodeWriter.Create(path, settings.Bits, writeIds: false);
            var ids = new long[q];
            for (int i = 0; i < q; i++) ids[i] = i;
            writer.Write(codes, ids);
            writer.Commit();
            console.Ui.MarkupLineInterpolated($"wrote {q:N0} queries drawn the same way to {Path.GetFullPath(path)}");
        }
        return 0;
    }

    /// <summary>Draws and appends <paramref name="n"/> codes batch by batch (ids = positions), committing every <paramref name="flushEvery"/> codes.</summary>
    internal static void WriteStore(CodeGenerator generator, CodeStore store, long n, int threads, long flushEvery, ProgressTask? task, CancellationToken cancellationToken)
    {
        int words = generator.Layout.WordsPerCode;
        int batch = (int)Math.Min(BatchCodes, Math.Max(n, 1));
        var codes = new ulong[(long)batch * words];
        var ids = new long[batch];
        long sinceFlush = 0;
        for (long done = 0; done < n;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = (int)Math.Min(batch, n - done);
            generator.Fill(stream: 0, first: done, codes.AsMemory(0, count * words), threads);
            for (int i = 0; i < count; i++) ids[i] = done + i;
            store.AppendRange(codes.AsSpan(0, count * words), ids.AsSpan(0, count));
            done += count;
            sinceFlush += count;
            if (sinceFlush >= flushEvery)
            {
                store.Flush();
                sinceFlush = 0;
            }
            if (task is not null) task.Value = done;
        }
        store.Flush();
    }
}
