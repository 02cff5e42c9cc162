using System.Globalization;

namespace HammingIndex.Orleans.Shards;

/// <summary>The grain key of a shard: <c>"{index}/{shard}"</c>.</summary>
public static class ShardKey
{
    /// <summary>The key of shard <paramref name="shard"/> of <paramref name="index"/>.</summary>
    public static string Format(string index, int shard)
    {
        ShardFiles.CheckIndexName(index);
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        return string.Create(CultureInfo.InvariantCulture, $"{index}/{shard}");
    }

    /// <summary>Splits a key made by <see cref="Format"/>.</summary>
    /// <exception cref="ArgumentException">The key is not of that form.</exception>
    public static (string Index, int Shard) Parse(string key)
    {
        int slash = key.LastIndexOf('/');
        if (slash <= 0 || !int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int shard))
            throw new ArgumentException($"'{key}' is not a shard key of the form index/shard.", nameof(key));
        string index = key[..slash];
        ShardFiles.CheckIndexName(index);
        return (index, shard);
    }
}
