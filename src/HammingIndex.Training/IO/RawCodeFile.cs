using HammingIndex.Codes;

namespace HammingIndex.Training.IO;

/// <summary>
/// Conventions of a raw code file: no header, just codes back to back (see
/// <see cref="RawCodePacking"/>); the code length is given by the caller. Ids, when present, are in
/// a sidecar file of little-endian int64s, one per code, named <c>&lt;codes file&gt;.ids</c>; without
/// one, a code's id is its 0-based row.
/// </summary>
public static class RawCodeFile
{
    /// <summary>The usual extension of a raw code file.</summary>
    public const string Extension = ".codes";

    /// <summary>The sidecar ids file of <paramref name="codesPath"/>.</summary>
    public static string IdsPathFor(string codesPath) => codesPath + ".ids";

    /// <summary>Bytes one code takes on disk.</summary>
    public static int BytesPerRow(CodeLayout layout, RawCodePacking packing) =>
        packing == RawCodePacking.Words ? layout.BytesPerCode : (layout.Bits + 7) / 8;
}
