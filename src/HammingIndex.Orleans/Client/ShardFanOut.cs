namespace HammingIndex.Orleans.Client;

/// <summary>
/// Sends one call to each of a set of shards at once and waits for all of them, each within the
/// shard timeout: every shard answers, or the whole call fails with
/// <see cref="ShardsUnavailableException"/> naming those that did not (cancelling their calls).
/// The caller's cancellation throws <see cref="OperationCanceledException"/> instead.
/// </summary>
internal static class ShardFanOut
{
    public static async Task<T[]> RunAsync<T>(string index, string operation, int shardCount, IReadOnlyList<int> shards, TimeSpan timeout,
        Func<int, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var tasks = new Task<T>[shards.Count];
        var sources = new CancellationTokenSource[shards.Count];
        try
        {
            for (int i = 0; i < shards.Count; i++)
            {
                sources[i] = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                sources[i].CancelAfter(timeout);
                CancellationToken token = sources[i].Token;
                int shard = shards[i];
                // WaitAsync bounds the wait even if the runtime does not complete a cancelled call promptly.
                tasks[i] = Call(call, shard, token).WaitAsync(token);
            }
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch
            {
                // Each task is examined below.
            }
            cancellationToken.ThrowIfCancellationRequested();
            var failures = new List<ShardFailure>();
            for (int i = 0; i < tasks.Length; i++)
            {
                if (tasks[i].IsCompletedSuccessfully) continue;
                Exception? error = tasks[i].Exception?.InnerException;
                bool timedOut = tasks[i].IsCanceled || error is OperationCanceledException or TimeoutException;
                failures.Add(new ShardFailure(shards[i], timedOut, timedOut && error is OperationCanceledException ? null : error));
            }
            if (failures.Count > 0)
                throw new ShardsUnavailableException(index, operation, shardCount, timeout, failures.OrderBy(f => f.Shard).ToArray());
            var results = new T[tasks.Length];
            for (int i = 0; i < tasks.Length; i++) results[i] = tasks[i].Result;
            return results;
        }
        finally
        {
            foreach (CancellationTokenSource? source in sources) source?.Dispose();
        }
    }

    /// <summary>The call as a task, a synchronous throw included (so it counts against its shard alone).</summary>
    private static Task<T> Call<T>(Func<int, CancellationToken, Task<T>> call, int shard, CancellationToken token)
    {
        try
        {
            return call(shard, token);
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }
}
