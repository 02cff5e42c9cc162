using System.Text;
using System.Text.Json;
using HammingIndex.Orleans.Messages;
using HammingIndex.Storage;

namespace HammingIndex.Orleans.Shards;

/// <summary>
/// The small file that says a shard folder exists and what it must hold (format, shard number, code
/// length, shard count). Written atomically before the store, so a folder with a manifest and no store
/// is a creation that stopped before acknowledging anything.
/// </summary>
internal static class ShardManifest
{
    public const string FileName = "shard.json";
    private const int FormatVersion = 1;

    private sealed record Contents(int Format, string Index, int Shard, int Bits, int ShardCount, int SubstringCount);

    public static void Write(string directory, string index, int shard, ShardSpec spec)
    {
        var contents = new Contents(FormatVersion, index, shard, spec.Bits, spec.ShardCount, spec.SubstringCount);
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(contents);
        AtomicFile.Write(Path.Combine(directory, FileName), stream => stream.Write(bytes), overwrite: false);
    }

    /// <summary>Reads the manifest; null when the folder has none.</summary>
    /// <exception cref="InvalidFileException">The file is not a manifest of this format, or names another index or shard.</exception>
    public static ShardSpec? TryRead(string directory, string index, int shard)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        Contents? contents;
        try
        {
            contents = JsonSerializer.Deserialize<Contents>(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidFileException(path, $"{path}: not a shard manifest ({e.Message}).", e.BytePositionInLine ?? -1, inner: e);
        }
        if (contents is null || contents.Format != FormatVersion)
            throw new InvalidFileException(path, $"{path}: shard manifest format {contents?.Format} is not {FormatVersion}.", 0, FormatVersion.ToString(), contents?.Format.ToString());
        if (contents.Index != index || contents.Shard != shard)
            throw new InvalidFileException(path, $"{path}: the manifest belongs to shard {contents.Shard} of index '{contents.Index}', not shard {shard} of '{index}'.",
                0, $"{index}/{shard}", $"{contents.Index}/{contents.Shard}");
        if (contents.ShardCount < 1 || contents.Shard >= contents.ShardCount)
            throw new InvalidFileException(path, $"{path}: shard {contents.Shard} of {contents.ShardCount} shards is out of range.", 0, null, contents.ShardCount.ToString());
        return new ShardSpec { Bits = contents.Bits, ShardCount = contents.ShardCount, SubstringCount = contents.SubstringCount };
    }

    public static string Describe(ShardSpec spec) =>
        new StringBuilder().Append(spec.Bits).Append("-bit codes, ").Append(spec.ShardCount).Append(" shards, ")
            .Append(spec.SubstringCount == 0 ? "automatic" : spec.SubstringCount.ToString()).Append(" substrings").ToString();
}
