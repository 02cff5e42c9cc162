using Spectre.Console;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Runs work under a Spectre.Console progress display on stderr (plain lines when not interactive).</summary>
internal static class ProgressRunner
{
    public static async Task<T> RunAsync<T>(CliConsole console, Func<ProgressContext, Task<T>> work)
    {
        return await console.Status.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(work);
    }

    public static Task RunAsync(CliConsole console, Func<ProgressContext, Task> work) =>
        RunAsync(console, async ctx => { await work(ctx); return 0; });
}
