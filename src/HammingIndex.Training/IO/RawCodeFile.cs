using HammingIndex.Codes;

namespace HammingIndex.Training.IO;

/// <summary>
/// Conventions of a raw code file (<see cref="Extension"/>): a 64-byte <see cref="RawCodeHeader"/>
/// (magic, version, bits, packing, count, the fingerprint of the model that encoded the codes, and
/// checksums), then the codes back to back (see <see cref="RawCodePacking"/>). Ids, when present, are
/// in a sidecar file of little-endian int64s, one per code, named <c>&lt;codes file&gt;.ids</c>;
/// without one, a code's id is its 0-based row. Headerless files (codes only, as other tools write
/// them) are read when the caller gives the code length. A store file is a different kind of file
/// (<see cref="CodeFiles.StoreExtension"/>), recognised by its magic.
/// </summary>
public static class RawCodeFile
{
    /// <summary>The extension of a raw code file.</summary>
    public const string Extension = ".codes";

    /// <summary>The sidecar ids file of <paramref name="codesPath"/>.</summary>
    public static string IdsPathFor(string codesPath) => codesPath + ".ids";

    /// <summary>Bytes one code takes on disk (after the header).</summary>
    public static int BytesPerRow(CodeLayout layout, RawCodePacking packing) =>
        packing == RawCodePacking.Words ? layout.BytesPerCode : (layout.Bits + 7) / 8;
}
