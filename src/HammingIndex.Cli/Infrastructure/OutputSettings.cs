using System.ComponentModel;
using Spectre.Console.Cli;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>
/// Options of every subcommand that writes files: one rule for all of them, an existing output is
/// refused (before any work) unless <c>--overwrite</c> is given (see <see cref="OutputPaths.Check"/>).
/// </summary>
internal class OutputSettings : CommonSettings
{
    [CommandOption("--overwrite")]
    [Description("Replace the output files if they exist (refused by default, before any work).")]
    public bool Overwrite { get; init; }
}
