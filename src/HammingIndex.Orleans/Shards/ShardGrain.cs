using HammingIndex.Orleans.Messages;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace HammingIndex.Orleans.Shards;

/// <summary>
/// The shard grain: on activation it reopens its shard's files if they exist (a silo restart, or the
/// shard moving to another silo after its silo died); <see cref="IShardGrain.Open"/> creates them.
/// </summary>
/// <remarks>
/// Reentrant: searches run on the thread pool and overlap each other and the writes, which the
/// engine allows (one writer, any number of readers; adds, deletes and flushes stay serialized
/// because each runs whole within one turn of the grain). Deactivation flushes and closes the shard.
/// </remarks>
[Reentrant]
[ShardPlacement]
internal sealed class ShardGrain : Grain, IShardGrain
{
    private readonly ShardFiles _files;
    private readonly IShardFaults? _faults;
    private string _index = "";
    private int _shard;
    private ShardIndex? _open;

    public ShardGrain(ShardFiles files, IServiceProvider services)
    {
        _files = files;
        _faults = services.GetService<IShardFaults>();
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_index, _shard) = ShardKey.Parse(this.GetPrimaryKeyString());
        _open = _files.TryOpen(_index, _shard);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_open is not null)
        {
            try
            {
                _open.Flush();
            }
            finally
            {
                _files.Close(_open);
                _open = null;
            }
        }
        return Task.CompletedTask;
    }

    public Task<ShardStatus> Open(ShardSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (_shard >= spec.ShardCount)
            throw new ArgumentOutOfRangeException(nameof(spec), spec.ShardCount, $"Shard {_shard} does not exist in an index of {spec.ShardCount} shards.");
        if (_open is null) _open = _files.OpenOrCreate(_index, _shard, spec);
        else if (_open.Spec != spec)
            throw new InvalidOperationException($"Shard {_shard} of index '{_index}' exists with {ShardManifest.Describe(_open.Spec)}, not {ShardManifest.Describe(spec)}.");
        return Task.FromResult(StatusNow());
    }

    public Task<ShardStatus> Status() => Task.FromResult(StatusNow());

    public Task<long> Add(CodeBatch batch) => Task.FromResult(Require().Add(batch));

    public Task<int> Delete(long[] ids) => Task.FromResult(Require().Delete(ids));

    public Task<ShardStatus> Flush()
    {
        Require().Flush();
        return Task.FromResult(StatusNow());
    }

    public async Task<PackedAnswers> TopK(QueryBatch queries, int k, CancellationToken cancellationToken)
    {
        ShardIndex shard = Require();
        if (_faults is not null) await _faults.BeforeSearchAsync(_index, _shard, cancellationToken);
        return await Run(shard, queries, s => s.TopK(queries.Words, k), cancellationToken);
    }

    public async Task<PackedAnswers> WithinRadius(QueryBatch queries, int radius, CancellationToken cancellationToken)
    {
        ShardIndex shard = Require();
        if (_faults is not null) await _faults.BeforeSearchAsync(_index, _shard, cancellationToken);
        return await Run(shard, queries, s => s.WithinRadius(queries.Words, radius), cancellationToken);
    }

    /// <summary>
    /// A lone query runs inline (a thread hop would cost more than the search); a batch runs on the
    /// thread pool (it spreads over cores itself), so the grain keeps taking other calls meanwhile.
    /// </summary>
    private static Task<PackedAnswers> Run(ShardIndex shard, QueryBatch queries, Func<ShardIndex, PackedAnswers> search, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return queries.Words.Length <= shard.Store.Layout.WordsPerCode
            ? Task.FromResult(search(shard))
            : Task.Run(() => search(shard), cancellationToken);
    }

    private ShardStatus StatusNow() => Require().Status(RuntimeIdentity);

    private ShardIndex Require() =>
        _open ?? throw new InvalidOperationException($"Shard {_shard} of index '{_index}' does not exist under {_files.Root} (create the index first).");
}
