using System.ComponentModel;
using Spectre.Console.Cli;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Options every subcommand accepts.</summary>
internal class CommonSettings : CommandSettings
{
    [CommandOption("--verbose")]
    [Description("On error, print the exception with its stack trace instead of one line.")]
    public bool Verbose { get; init; }
}
