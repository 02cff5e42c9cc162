using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;

namespace HammingIndex.Training.IO;

/// <summary>
/// The 64-byte header of a raw code file (little-endian; see <see cref="RawCodeFile"/>): magic
/// "HMGCODES", version, bits, packing, flags (bit 0: an ids sidecar belongs to the file), count, the
/// fingerprint of the model that encoded the codes (0: unknown), XxHash3 of the code bytes, XxHash3
/// of the sidecar's bytes (0 without one), and XxHash3 of the 56 bytes before it.
/// </summary>
/// <param name="Bits">Code length.</param>
/// <param name="Packing">Layout of each code.</param>
/// <param name="HasIds">Whether the ids sidecar belongs to the file.</param>
/// <param name="Count">Number of codes.</param>
/// <param name="ModelFingerprint">The encoding model's <see cref="Scratch.ScratchModel.Fingerprint"/>, or 0 when unknown.</param>
/// <param name="CodesChecksum">XxHash3 of the code bytes that follow the header.</param>
/// <param name="IdsChecksum">XxHash3 of the ids sidecar, or 0.</param>
public readonly record struct RawCodeHeader(int Bits, RawCodePacking Packing, bool HasIds, long Count, ulong ModelFingerprint, ulong CodesChecksum, ulong IdsChecksum)
{
    /// <summary>Bytes of the header, before the first code.</summary>
    public const int Size = 64;

    /// <summary>The format version written and read.</summary>
    public const uint Version = 1;

    /// <summary>The first 8 bytes of a raw code file with a header.</summary>
    public static ReadOnlySpan<byte> Magic => "HMGCODES"u8;

    private const uint HasIdsFlag = 1;

    /// <summary>Whether <paramref name="start"/> (the first bytes of a file) begins with the header magic.</summary>
    public static bool StartsWithMagic(ReadOnlySpan<byte> start) => start.Length >= Magic.Length && start[..Magic.Length].SequenceEqual(Magic);

    /// <summary>Writes the header into <paramref name="destination"/> (at least <see cref="Size"/> bytes).</summary>
    public void WriteTo(Span<byte> destination)
    {
        Span<byte> h = destination[..Size];
        Magic.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], (uint)Bits);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], (uint)Packing);
        BinaryPrimitives.WriteUInt32LittleEndian(h[20..], HasIds ? HasIdsFlag : 0);
        BinaryPrimitives.WriteInt64LittleEndian(h[24..], Count);
        BinaryPrimitives.WriteUInt64LittleEndian(h[32..], ModelFingerprint);
        BinaryPrimitives.WriteUInt64LittleEndian(h[40..], CodesChecksum);
        BinaryPrimitives.WriteUInt64LittleEndian(h[48..], IdsChecksum);
        BinaryPrimitives.WriteUInt64LittleEndian(h[56..], XxHash3.HashToUInt64(h[..56]));
    }

    /// <summary>
    /// Parses and checks a header (checksum first, then every field); <paramref name="fileLength"/> must be
    /// exactly the header plus <see cref="Count"/> codes.
    /// </summary>
    /// <exception cref="InvalidFileException">The header is damaged, of another version, or disagrees with the file length; names the offset, expected and actual value.</exception>
    public static RawCodeHeader Read(ReadOnlySpan<byte> h, long fileLength, string path)
    {
        if (h.Length < Size)
            throw new InvalidFileException(path, $"the {Size}-byte code-file header is truncated ({h.Length} bytes).", h.Length, $"{Size} bytes", $"{h.Length} bytes");
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(h[56..]), computed = XxHash3.HashToUInt64(h[..56]);
        if (stored != computed)
            throw new InvalidFileException(path, $"code-file header checksum mismatch (stored 0x{stored:X16}, computed 0x{computed:X16}): the header is corrupt.", 56, $"0x{computed:X16}", $"0x{stored:X16}");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(h[8..]);
        if (version != Version)
            throw new InvalidFileException(path, $"a code file of format version {version}; this build reads version {Version}.", 8, Text(Version), Text(version));
        uint bits = BinaryPrimitives.ReadUInt32LittleEndian(h[12..]);
        if (bits is < Codes.CodeLayout.MinBits or > Codes.CodeLayout.MaxBits)
            throw new InvalidFileException(path, $"code length {bits} is outside {Codes.CodeLayout.MinBits}..{Codes.CodeLayout.MaxBits}.", 12, $"{Codes.CodeLayout.MinBits}..{Codes.CodeLayout.MaxBits}", Text(bits));
        uint packing = BinaryPrimitives.ReadUInt32LittleEndian(h[16..]);
        if (packing > (uint)RawCodePacking.Bytes)
            throw new InvalidFileException(path, $"packing {packing} is unknown (0 = words, 1 = bytes).", 16, "0 or 1", Text(packing));
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(h[20..]);
        if ((flags & ~HasIdsFlag) != 0)
            throw new InvalidFileException(path, $"unknown flags 0x{flags:X8}.", 20, $"0x{HasIdsFlag:X8} or 0", $"0x{flags:X8}");
        long count = BinaryPrimitives.ReadInt64LittleEndian(h[24..]);
        var header = new RawCodeHeader((int)bits, (RawCodePacking)packing, flags != 0, count,
            BinaryPrimitives.ReadUInt64LittleEndian(h[32..]), BinaryPrimitives.ReadUInt64LittleEndian(h[40..]), BinaryPrimitives.ReadUInt64LittleEndian(h[48..]));
        int rowBytes = RawCodeFile.BytesPerRow(new Codes.CodeLayout((int)bits), header.Packing);
        long dataBytes = fileLength - Size;
        if (count < 0 || count > dataBytes / rowBytes || count * rowBytes != dataBytes)
        {
            long expectedLength = count is >= 0 and <= long.MaxValue / 4096 ? Size + count * rowBytes : -1;
            throw new InvalidFileException(path, $"the header announces {count} {bits}-bit codes ({expectedLength} bytes with the header), but the file holds {fileLength} bytes.",
                24, $"{expectedLength} bytes", $"{fileLength} bytes");
        }
        return header;
    }

    private static string Text(uint value) => value.ToString(CultureInfo.InvariantCulture);
}
