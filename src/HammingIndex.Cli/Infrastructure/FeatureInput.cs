using HammingIndex.Training;
using HammingIndex.Training.IO;
using Spectre.Console;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Reads whole feature files with a progress display.</summary>
internal static class FeatureInput
{
    public static Task<FeatureMatrix> ReadAllAsync(CliConsole console, string path, CancellationToken cancellationToken) =>
        ProgressRunner.RunAsync(console, async ctx =>
        {
            ProgressTask task = ctx.AddTask($"read {Path.GetFileName(path)}").IsIndeterminate();
            FeatureMatrix m = await FeatureFiles.ReadAllAsync(path, new SyncProgress<long>(rows => task.Description = $"read {Path.GetFileName(path)}: {rows:N0} rows"), cancellationToken);
            task.IsIndeterminate(false);
            task.Value = task.MaxValue;
            return m;
        });
}
