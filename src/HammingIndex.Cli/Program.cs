using HammingIndex.Cli.Infrastructure;

namespace HammingIndex.Cli;

internal static class Program
{
    private static int Main(string[] args) => HammingApp.Run(args, CliConsole.System());
}
