using System.Buffers.Binary;
using HammingIndex.Storage;

namespace HammingIndex.Training.IO;

/// <summary>
/// The kinds of code files and how each is named and recognised, the same for the library
/// (<see cref="CrossModal.CrossModalIndex"/>) and the <c>hamming</c> tool: a store (<see cref="CodeStore"/>,
/// <see cref="StoreExtension"/>) and a raw code file (<see cref="RawCodeFile"/>, <see cref="RawCodeFile.Extension"/>).
/// Readers recognise a file by its magic, not its name.
/// </summary>
public static class CodeFiles
{
    /// <summary>The extension of store files.</summary>
    public const string StoreExtension = ".hstore";

    /// <summary>
    /// Whether <paramref name="path"/> is a store file: the store magic in either header slot
    /// (a store commits to its slots in turn, so slot 0 alone may be empty).
    /// </summary>
    public static bool IsStore(string path)
    {
        Span<byte> start = stackalloc byte[StoreFileFormat.HeaderSlotOffset(1) + 8];
        int n = ReadStart(path, start);
        return HasStoreMagic(start[..n], 0) || HasStoreMagic(start[..n], StoreFileFormat.HeaderSlotOffset(1));
    }

    /// <summary>Whether <paramref name="path"/> is a raw code file with a header (<see cref="RawCodeHeader"/>).</summary>
    public static bool HasRawCodeHeader(string path)
    {
        Span<byte> start = stackalloc byte[RawCodeHeader.Magic.Length];
        return RawCodeHeader.StartsWithMagic(start[..ReadStart(path, start)]);
    }

    private static bool HasStoreMagic(ReadOnlySpan<byte> start, int offset) =>
        start.Length >= offset + 8 && BinaryPrimitives.ReadUInt64LittleEndian(start[offset..]) == StoreFileFormat.Magic;

    private static int ReadStart(string path, Span<byte> buffer)
    {
        if (!File.Exists(path)) return 0;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
    }
}
