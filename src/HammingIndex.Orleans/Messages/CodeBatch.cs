namespace HammingIndex.Orleans.Messages;

/// <summary>
/// Codes with their ids on the wire: <see cref="Words"/> holds the codes packed one after another
/// (<c>ceil(Bits/64)</c> ulongs each, the engine's layout), <see cref="Ids"/> one id per code.
/// One array per field, never one object per code.
/// </summary>
[GenerateSerializer, Immutable, Alias("HammingIndex.CodeBatch")]
public sealed class CodeBatch
{
    /// <summary>Creates a batch (the arrays are taken, not copied: do not change them afterwards).</summary>
    public CodeBatch(ulong[] words, long[] ids)
    {
        Words = words;
        Ids = ids;
    }

    /// <summary>The codes, packed.</summary>
    [Id(0)] public ulong[] Words { get; }

    /// <summary>The id of each code.</summary>
    [Id(1)] public long[] Ids { get; }
}
