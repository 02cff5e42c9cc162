namespace HammingIndex.Training.IO;

/// <summary>How a raw code file lays out each code (both little-endian: bit i of a code is bit i % 8 of its byte i / 8).</summary>
public enum RawCodePacking
{
    /// <summary>The engine's layout: ceil(bits / 64) little-endian ulongs per code (8-byte aligned rows).</summary>
    Words,

    /// <summary>Tight: ceil(bits / 8) bytes per code (as faiss binary indexes store codes).</summary>
    Bytes,
}
