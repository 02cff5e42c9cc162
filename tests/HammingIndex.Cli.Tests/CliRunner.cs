using HammingIndex.Cli.Infrastructure;

namespace HammingIndex.Cli.Tests;

/// <summary>Runs the <c>hamming</c> app in-process with captured stdout and stderr.</summary>
internal static class CliRunner
{
    public sealed record Result(int Status, string Out, string Error)
    {
        public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int status = HammingApp.Run(args, new CliConsole(output, error, interactive: false));
        return new Result(status, output.ToString(), error.ToString());
    }

    /// <summary>Asserts a clean failure: the given status, exactly one stderr line starting "hamming:" and containing <paramref name="message"/>, no stack trace.</summary>
    public static void AssertCleanError(Result result, int status, string message)
    {
        Assert.Equal(status, result.Status);
        string[] lines = result.ErrorLines.Where(l => l.StartsWith("hamming:", StringComparison.Ordinal)).ToArray();
        Assert.Single(lines);
        Assert.Contains(message, lines[0]);
        Assert.DoesNotContain("   at ", result.Error);
    }
}
