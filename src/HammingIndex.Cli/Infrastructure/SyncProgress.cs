namespace HammingIndex.Cli.Infrastructure;

/// <summary>An <see cref="IProgress{T}"/> that calls back on the reporting thread at once (Progress&lt;T&gt; posts asynchronously).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
