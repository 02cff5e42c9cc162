using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace HammingIndex.Orleans.Shards;

/// <summary>
/// The silo's keeper of open shards: opens them under <see cref="ShardStorageOptions.RootDirectory"/>
/// and closes every one still open when the silo's services are disposed, so the file locks go with
/// the silo even when its grains were never deactivated (a killed silo in a test host).
/// </summary>
public sealed partial class ShardFiles : IDisposable
{
    private readonly HashSet<ShardIndex> _open = [];
    private bool _disposed;

    /// <summary>Creates the keeper for a silo.</summary>
    /// <exception cref="ArgumentException">No root directory is configured.</exception>
    public ShardFiles(IOptions<ShardStorageOptions> options)
    {
        string root = options.Value.RootDirectory;
        if (string.IsNullOrWhiteSpace(root))
            throw new ArgumentException("ShardStorageOptions.RootDirectory must name the folder that holds the shards.", nameof(options));
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    /// <summary>The folder that holds one folder per index.</summary>
    public string Root { get; }

    /// <summary>The folder of one shard.</summary>
    /// <exception cref="ArgumentException">The index name is not 1-64 letters, digits, '.', '_' or '-' (starting with a letter or digit).</exception>
    public string ShardDirectory(string index, int shard)
    {
        CheckIndexName(index);
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        return Path.Combine(Root, index, $"shard-{shard:D4}");
    }

    /// <summary>Checks an index name is safe as one folder name.</summary>
    /// <exception cref="ArgumentException">It is not.</exception>
    public static void CheckIndexName(string index)
    {
        if (index is null || !IndexName().IsMatch(index))
            throw new ArgumentException($"Index name '{index}' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.", nameof(index));
    }

    internal ShardIndex? TryOpen(string index, int shard) => Track(ShardIndex.TryOpen(ShardDirectory(index, shard), index, shard));

    internal ShardIndex OpenOrCreate(string index, int shard, Messages.ShardSpec spec) =>
        Track(ShardIndex.OpenOrCreate(ShardDirectory(index, shard), index, shard, spec))!;

    internal void Close(ShardIndex shard)
    {
        lock (_open)
        {
            if (!_open.Remove(shard)) return;
        }
        shard.Dispose();
    }

    private ShardIndex? Track(ShardIndex? shard)
    {
        if (shard is null) return null;
        lock (_open)
        {
            if (!_disposed)
            {
                _open.Add(shard);
                return shard;
            }
        }
        shard.Dispose();
        throw new ObjectDisposedException(nameof(ShardFiles), "The silo is shutting down.");
    }

    /// <summary>Closes every shard still open.</summary>
    public void Dispose()
    {
        ShardIndex[] open;
        lock (_open)
        {
            _disposed = true;
            open = [.. _open];
            _open.Clear();
        }
        foreach (ShardIndex shard in open) shard.Dispose();
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IndexName();
}
