using Spectre.Console;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>
/// Where the tool writes: <see cref="Out"/> for results (TSV/JSON lines) and reports (tables),
/// <see cref="Error"/> for error lines, and <see cref="Status"/> (on stderr) for progress bars, so
/// stdout stays machine-readable. Tests pass string writers.
/// </summary>
internal sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, bool interactive)
    {
        Out = output;
        Error = error;
        Ui = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        Status = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(error),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive)
        {
            Ui.Profile.Width = 160;
            Status.Profile.Width = 160;
        }
    }

    /// <summary>The process's own stdout/stderr.</summary>
    public static CliConsole System() => new(Console.Out, Console.Error, interactive: !Console.IsErrorRedirected);

    /// <summary>Results and reports.</summary>
    public TextWriter Out { get; }

    /// <summary>Error lines.</summary>
    public TextWriter Error { get; }

    /// <summary>Rich output (tables) to <see cref="Out"/>.</summary>
    public IAnsiConsole Ui { get; }

    /// <summary>Progress bars and status to <see cref="Error"/>.</summary>
    public IAnsiConsole Status { get; }
}
