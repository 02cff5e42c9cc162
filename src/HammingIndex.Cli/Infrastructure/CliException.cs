namespace HammingIndex.Cli.Infrastructure;

/// <summary>Bad input found by the tool itself; its message is the one line the user sees.</summary>
internal sealed class CliException(string message) : Exception(message);
