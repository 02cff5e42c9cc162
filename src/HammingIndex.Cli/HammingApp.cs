using System.Reflection;
using HammingIndex.Cli.Commands;
using HammingIndex.Cli.Infrastructure;
using Spectre.Console.Cli;

namespace HammingIndex.Cli;

/// <summary>
/// The <c>hamming</c> command line: configures the subcommands and turns every failure into one
/// line on stderr and a non-zero exit status (stack traces only with <c>--verbose</c>): 2 for a
/// command line that does not parse or validate (no command, unknown option, bad value, missing
/// required option), 1 for bad input found while running.
/// </summary>
internal static class HammingApp
{
    /// <summary>Exit status for bad input (missing file, malformed data, wrong shape).</summary>
    public const int BadInput = 1;

    /// <summary>Exit status for a command line that does not parse.</summary>
    public const int Usage = 2;

    /// <summary>Exit status for a failure that is not the input's fault (a bug: please report it).</summary>
    public const int InternalError = 70;

    /// <summary>The tool's version: the package version (from the git tag at build time, MinVer) and, after a '+', the commit.</summary>
    public static string Version { get; } =
        typeof(HammingApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(HammingApp).Assembly.GetName().Version?.ToString() ?? "unknown";

    public static int Run(string[] args, CliConsole console)
    {
        bool verbose = args.Contains("--verbose");
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("hamming");
            config.SetApplicationVersion(Version);
            config.Settings.Console = console.Ui;
            config.Settings.Registrar.RegisterInstance(console);
            config.PropagateExceptions();
            config.Settings.StrictParsing = true;
            Register(config);
        });
        if (args.Length == 0) // no command is a usage error like any other: the help, then status 2
        {
            app.Run(["--help"]);
            console.Error.WriteLine("hamming: usage: name a command (listed above; 'hamming <command> --help' describes its options).");
            return Usage;
        }
        try
        {
            return app.Run(args);
        }
        catch (CommandRuntimeException e) when (e.InnerException is ArgumentException or FormatException && OptionValueErrors.Describe(args) is string message)
        {
            console.Error.WriteLine(verbose ? $"hamming: usage: {message}{Environment.NewLine}{e}" : $"hamming: usage: {message}");
            return Usage;
        }
        catch (Exception e)
        {
            return Report(Unwrap(e), verbose, console);
        }
    }

    private static void Register(IConfigurator config)
    {
        config.AddCommand<TrainCommand>("train")
            .WithDescription("Train a SCRATCH cross-modal hashing model from image features, text features and labels.")
            .WithExample("train", "--images", "I_tr.npy", "--texts", "T_tr.npy", "--labels", "L_tr.npy", "--bits", "64", "--out", "wiki64.model")
            .WithExample("train", "--images", "img.fvecs", "--texts", "txt.csv", "--labels", "labels.csv", "--bits", "32", "--anchors", "1000", "--mu", "100", "--alpha", "10", "--out", "m.model");
        config.AddCommand<TuneCommand>("tune")
            .WithDescription("Search SCRATCH's settings on a validation split of the training pairs under a time budget; write the best model and a table of every trial.")
            .WithExample("tune", "--dataset", "wiki", "--bits", "64", "--budget", "5m", "--out", "wiki64-tuned.model")
            .WithExample("tune", "--images", "I_tr.npy", "--texts", "T_tr.npy", "--labels", "L_tr.npy", "--protocol", "encoded", "--budget", "90s", "--out", "m.model");
        config.AddCommand<EncodeCommand>("encode")
            .WithDescription("Encode the features of one modality with a model into codes (a store file, or raw .codes).")
            .WithExample("encode", "--model", "wiki64.model", "--modality", "text", "--features", "T_tr.npy", "--out", "texts.hstore")
            .WithExample("encode", "--model", "m.model", "--modality", "image", "--features", "big.fvecs", "--out", "images.codes");
        config.AddCommand<BuildCommand>("build")
            .WithDescription("Import codes into a store file and build its multi-index hash tables.")
            .WithExample("build", "--codes", "db.codes", "--bits", "64", "--out", "db.hstore")
            .WithExample("build", "--codes", "texts.hstore", "--substrings", "4");
        config.AddCommand<GenerateCommand>("generate")
            .WithDescription("Stream N seeded synthetic codes (uniform, or clustered around random centres) into a store file, and queries drawn the same way.")
            .WithExample("generate", "-n", "100000000", "--kind", "clustered", "--centres", "1000000", "--flip", "0.1", "--out", "c.hstore", "--queries", "100", "--queries-out", "c.codes")
            .WithExample("generate", "-n", "1000000", "--out", "u.hstore", "--seed", "7");
        config.AddCommand<ExportCommand>("export")
            .WithDescription("Write the live codes of a store (and their ids) to a raw .codes file.")
            .WithExample("export", "--store", "db.hstore", "--out", "db.codes");
        config.AddCommand<SearchCommand>("search")
            .WithDescription("Search a store with query codes, or with query features and a model; top-k or within a radius, as TSV or JSON lines.")
            .WithExample("search", "--store", "db.hstore", "--queries", "q.codes", "-k", "10")
            .WithExample("search", "--store", "images.hstore", "--model", "wiki64.model", "--modality", "text", "--queries", "T_te.npy", "--radius", "2", "--format", "json");
        config.AddCommand<EvalCommand>("eval")
            .WithDescription("Score a model on a dataset split: MAP, P@N and precision within radius 2 for image->text and text->image against LSH, with PNG plots (PR, P@N, t-SNE of the codes).")
            .WithExample("eval", "--model", "wiki64.model", "--data", "../shared/data/wiki", "--plots", "plots/")
            .WithExample("eval", "--model", "icons64.model", "--dataset", "icons", "--no-plots");
        config.AddCommand<BenchCommand>("bench")
            .WithDescription("Measure this machine: kernel path, codes/s and GB/s of the scan, and the multi-index speed-up.")
            .WithExample("bench")
            .WithExample("bench", "--count", "10000000", "--bits", "128", "--queries", "200");
        config.AddCommand<DemoCommand>("demo")
            .WithDescription("Everything on the Material Design Icons set (npm @mdi/svg; --data <dir>): train SCRATCH, MAP table against LSH, plots, index, query speed through the scan and the multi-index, core-engine figures.")
            .WithExample("demo")
            .WithExample("demo", "--bits", "32", "--data", ".data/mdi", "--plots", "demo-plots");
        ClusterCommand.Register(config);
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } or TargetInvocationException && e.InnerException is not null)
            e = e.InnerException!;
        return e;
    }

    private static int Report(Exception e, bool verbose, CliConsole console)
    {
        (int status, string prefix) = e switch
        {
            CommandParseException or CommandRuntimeException => (Usage, "usage"),
            CliException or IOException or UnauthorizedAccessException or ArgumentException or FormatException
                or InvalidDataException or NotSupportedException or KeyNotFoundException => (BadInput, "error"),
            OperationCanceledException => (BadInput, "cancelled"),
            _ => (InternalError, $"internal error ({e.GetType().Name})"),
        };
        if (verbose) console.Error.WriteLine($"hamming: {prefix}: {e}");
        else console.Error.WriteLine($"hamming: {prefix}: {OneLine(e.Message)}");
        return status;
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
