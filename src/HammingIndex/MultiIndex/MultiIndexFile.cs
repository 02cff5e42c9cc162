using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

/// <summary>
/// The tables image, format version 3, little-endian, the same bytes in memory and on disk (a saved
/// file is the image, searched in place through one read-only memory map); every byte is under a checksum:
/// <list type="bullet">
/// <item>Header (from offset 0, padded to a 4096-byte page): magic "HMIHTBL1", version 3, code bits,
/// m, flags, indexed count, store generation, the store's <see cref="StoreMemory.ContentDigest(long, long)"/> over
/// the indexed codes, file length; then per table 64 bytes: substring bits s, directory bits h, low
/// bytes, code words, entries, the file offsets of its four sections and the XxHash3 of its region (its sections and their padding);
/// then the XxHash3 of all that.</item>
/// <item>Per table, each section at a page boundary: offsets (uint32 x (2^h + 1)), low bits
/// (entries x low bytes; none for a direct table), positions (uint32 x entries), codes (ulong x
/// entries x code words; none for positions only).</item>
/// </list>
/// Opening checks the header checksum, that every section lies where the header's shape puts it and
/// within the file's exact length, each directory's first and last offset, and the store binding; a
/// file of at most <see cref="DefaultVerifyOnOpenMaxBytes"/> is also verified in full, a larger one is read no
/// further (milliseconds at any size). Every directory range a search reads is
/// checked against the entry count (<see cref="MultiIndexHashTable"/>); <see cref="Verify"/> streams the
/// sections' checksums. Versions 1 and 2 (tables loaded into arrays) are refused as
/// <see cref="MultiIndexFileError.UnsupportedVersion"/>: OpenOrBuild rebuilds them.
/// </summary>
internal static class MultiIndexFile
{
    /// <summary>3: page-aligned sections read in place through a memory map (2 bound the store by its digest; 1 is older still).</summary>
    public const int FormatVersion = 3;
    public const int PageBytes = 4096;
    private const ulong Magic = 0x31_4C_42_54_48_49_4D_48; // "HMIHTBL1"
    private const int FixedHeaderBytes = 64;
    private const int TableHeaderBytes = 64;

    /// <summary>By default files up to this size (64 MiB, a few milliseconds) are verified in full on open; larger ones on <see cref="Verify"/>.</summary>
    public const long DefaultVerifyOnOpenMaxBytes = 64L << 20;

    /// <summary>Where the header and each table's sections lie.</summary>
    internal sealed class Layout
    {
        public Layout(TableShape[] shapes)
        {
            Shapes = shapes;
            HeaderBytes = FixedHeaderBytes + (long)shapes.Length * TableHeaderBytes + sizeof(ulong);
            Sections = new (long Offsets, long Lows, long Positions, long Codes)[shapes.Length];
            long at = Align(HeaderBytes);
            for (int j = 0; j < shapes.Length; j++)
            {
                TableShape s = shapes[j];
                long offsets = at; at = Align(at + s.OffsetsBytes);
                long lows = at; at = Align(at + s.LowsBytes);
                long positions = at; at = Align(at + s.PositionsBytes);
                long codes = at; at = Align(at + s.CodesBytes);
                Sections[j] = (offsets, lows, positions, codes);
            }
            Length = at;
        }

        public TableShape[] Shapes { get; }

        public long HeaderBytes { get; }

        public (long Offsets, long Lows, long Positions, long Codes)[] Sections { get; }

        public long Length { get; }

        /// <summary>The bytes under table j's checksum: its sections and padding (the first table's from the header's end).</summary>
        public (long Start, long End) Region(int j) =>
            (j == 0 ? HeaderBytes : Sections[j].Offsets, j == Shapes.Length - 1 ? Length : Sections[j + 1].Offsets);

        public MultiIndexHashTable Table(TablesImage image, int j) =>
            new(image, Shapes[j], Sections[j].Offsets, Sections[j].Lows, Sections[j].Positions, Sections[j].Codes);

        private static long Align(long at) => (at + PageBytes - 1) & ~(long)(PageBytes - 1);
    }

    /// <summary>Writes the header of a filled image (each table's checksum computed from its sections).</summary>
    public static unsafe void WriteHeader(TablesImage image, Layout layout, int bits, long indexedCount, long generation, ulong digest)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Multi-index files are written on little-endian machines only.");
        int m = layout.Shapes.Length;
        Span<byte> header = new(image.Pointer, (int)layout.HeaderBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], bits);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], m);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(header[24..], indexedCount);
        BinaryPrimitives.WriteInt64LittleEndian(header[32..], generation);
        BinaryPrimitives.WriteUInt64LittleEndian(header[40..], digest);
        BinaryPrimitives.WriteInt64LittleEndian(header[48..], layout.Length);
        for (int j = 0; j < m; j++)
        {
            TableShape s = layout.Shapes[j];
            var (offsets, lows, positions, codes) = layout.Sections[j];
            Span<byte> entry = header.Slice(FixedHeaderBytes + j * TableHeaderBytes, TableHeaderBytes);
            BinaryPrimitives.WriteInt32LittleEndian(entry, s.SubstringBits);
            BinaryPrimitives.WriteInt32LittleEndian(entry[4..], s.DirectoryBits);
            BinaryPrimitives.WriteInt32LittleEndian(entry[8..], s.LowBytes);
            BinaryPrimitives.WriteInt32LittleEndian(entry[12..], s.CodeWords);
            BinaryPrimitives.WriteInt64LittleEndian(entry[16..], s.Entries);
            BinaryPrimitives.WriteInt64LittleEndian(entry[24..], offsets);
            BinaryPrimitives.WriteInt64LittleEndian(entry[32..], lows);
            BinaryPrimitives.WriteInt64LittleEndian(entry[40..], positions);
            BinaryPrimitives.WriteInt64LittleEndian(entry[48..], codes);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[56..], SectionsChecksum(image, layout, j, CancellationToken.None, release: true));
        }
        BinaryPrimitives.WriteUInt64LittleEndian(header[^8..], XxHash3.HashToUInt64(header[..^8]));
    }

    /// <summary>
    /// The XxHash3 of table <paramref name="j"/>'s region, streamed in 16 MiB pieces (read ahead; with
    /// <paramref name="release"/>, the build's pass, each released from the resident set once hashed, so a
    /// build's RSS stays near its budget; a verify on open keeps them, as the searches that follow read
    /// them): its sections and
    /// their padding, up to the next table's (the first table's from the end of the header, the last's to
    /// the end of the file), so every byte of the file is under a checksum.
    /// </summary>
    private static unsafe ulong SectionsChecksum(TablesImage image, Layout layout, int j, CancellationToken cancellationToken, bool release = false)
    {
        var (start, end) = layout.Region(j);
        var hash = new XxHash3();
        image.WillRead(start, Math.Min(end - start, 1 << 24));
        for (long at = start; at < end;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int piece = (int)Math.Min(end - at, 1 << 24);
            if (at + piece < end) image.WillRead(at + piece, Math.Min(end - at - piece, 1 << 24)); // the next piece reads while this one hashes
            hash.Append(new ReadOnlySpan<byte>(image.Pointer + at, piece));
            if (release) image.ReleaseResident(at, piece); // the build's pass: its pages leave the resident set (10 GB at 10^9)
            at += piece;
        }
        return hash.GetCurrentHashAsUInt64();
    }

    /// <summary>Saves an in-memory image (or copies a mapped one) to <paramref name="path"/> atomically.</summary>
    public static unsafe void Save(MultiIndexTables tables, string path, StoreFileSystem fileSystem)
    {
        TablesImage image = tables.Image;
        AtomicFile.Write(path, stream =>
        {
            for (long done = 0; done < image.Length;)
            {
                int piece = (int)Math.Min(image.Length - done, 1 << 24);
                stream.Write(new ReadOnlySpan<byte>(image.Pointer + done, piece));
                done += piece;
            }
            GC.KeepAlive(image);
        }, overwrite: true, fileSystem);
    }

    /// <summary>Maps a saved image and checks that it belongs to the store behind <paramref name="memory"/>.</summary>
    /// <exception cref="MultiIndexFileException">Not a multi-index file, another version, corrupt, or stale.</exception>
    public static MultiIndexTables Open(string path, StoreMemory memory, long storeCount, long storeGeneration, int requiredSubstringCount, bool codesInTables,
        long verifyMaxBytes = DefaultVerifyOnOpenMaxBytes)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Multi-index files are read on little-endian machines only.");
        path = Path.GetFullPath(path);
        long length = new FileInfo(path).Length; // FileNotFoundException when missing
        if (length < sizeof(ulong))
            throw new MultiIndexFileException(path, MultiIndexFileError.NotAMultiIndexFile, $"Not a multi-index file (only {length} bytes).", 0);
        TablesImage image = TablesImage.MapReadOnly(path, length);
        try
        {
            MultiIndexTables tables = Parse(image, memory, storeCount, storeGeneration, requiredSubstringCount, codesInTables);
            if (length <= verifyMaxBytes) Verify(tables, CancellationToken.None);
            return tables;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    private static unsafe MultiIndexTables Parse(TablesImage image, StoreMemory memory, long storeCount, long storeGeneration, int requiredSubstringCount, bool codesInTables)
    {
        string path = image.Name;
        long length = image.Length;
        if (BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(image.Pointer, sizeof(ulong))) != Magic)
            throw new MultiIndexFileException(path, MultiIndexFileError.NotAMultiIndexFile, "Not a multi-index file (bad magic number).", 0);
        if (length < FixedHeaderBytes) throw Corrupt(path, $"file of {length} bytes is shorter than the {FixedHeaderBytes}-byte header", length, Text(FixedHeaderBytes), Text(length));
        ReadOnlySpan<byte> fixedPart = new(image.Pointer, FixedHeaderBytes);
        int version = BinaryPrimitives.ReadInt32LittleEndian(fixedPart[8..]);
        if (version != FormatVersion)
            throw new MultiIndexFileException(path, MultiIndexFileError.UnsupportedVersion,
                version is > 0 and < FormatVersion
                    ? $"Format version {version} is older than this build's version {FormatVersion} (tables loaded into memory rather than mapped); rebuild the tables (OpenOrBuild does)."
                    : $"Format version {version}; this build reads version {FormatVersion}.",
                offset: 8, expected: Text(FormatVersion), actual: Text(version));
        int bits = BinaryPrimitives.ReadInt32LittleEndian(fixedPart[12..]);
        int m = BinaryPrimitives.ReadInt32LittleEndian(fixedPart[16..]);
        if (bits != memory.Layout.Bits)
            throw Corrupt(path, $"header says {bits}-bit codes, the store holds {memory.Layout.Bits}-bit codes", 12, Text(memory.Layout.Bits), Text(bits),
                stale: bits >= Codes.CodeLayout.MinBits && bits <= Codes.CodeLayout.MaxBits);
        if (m < SubstringSplit.MinCount(bits) || m > bits) throw Corrupt(path, $"substring count {m} is impossible for {bits}-bit codes", 16, null, Text(m));
        long headerBytes = FixedHeaderBytes + (long)m * TableHeaderBytes + sizeof(ulong);
        if (length < headerBytes) throw Corrupt(path, $"file of {length} bytes is shorter than its {headerBytes}-byte header", length, Text(headerBytes), Text(length));
        ReadOnlySpan<byte> header = new(image.Pointer, (int)headerBytes);
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(header[^8..]), computed = XxHash3.HashToUInt64(header[..^8]);
        if (stored != computed) throw Corrupt(path, "header checksum mismatch", headerBytes - 8, $"0x{computed:X16}", $"0x{stored:X16}");

        long indexedCount = BinaryPrimitives.ReadInt64LittleEndian(header[24..]);
        long generation = BinaryPrimitives.ReadInt64LittleEndian(header[32..]);
        ulong digest = BinaryPrimitives.ReadUInt64LittleEndian(header[40..]);
        long declared = BinaryPrimitives.ReadInt64LittleEndian(header[48..]);
        if (indexedCount < 0 || indexedCount > uint.MaxValue - 1) throw Corrupt(path, $"indexed count {indexedCount} is impossible", 24, null, Text(indexedCount));
        var split = new SubstringSplit(bits, m);
        int words = memory.Layout.WordsPerCode;
        var shapes = new TableShape[m];
        for (int j = 0; j < m; j++)
        {
            int at = FixedHeaderBytes + j * TableHeaderBytes;
            ReadOnlySpan<byte> entry = header.Slice(at, TableHeaderBytes);
            int s = BinaryPrimitives.ReadInt32LittleEndian(entry), h = BinaryPrimitives.ReadInt32LittleEndian(entry[4..]);
            int lowBytes = BinaryPrimitives.ReadInt32LittleEndian(entry[8..]), codeWords = BinaryPrimitives.ReadInt32LittleEndian(entry[12..]);
            long entries = BinaryPrimitives.ReadInt64LittleEndian(entry[16..]);
            if (s != split.Length(j) || h < 0 || h > Math.Min(s, TableShape.MaxDirectoryBits) || lowBytes != TableShape.LowBytesFor(s - h)
                || (codeWords != 0 && codeWords != words) || entries < 0 || entries > indexedCount || entries > TableShape.MaxEntries)
                throw Corrupt(path, $"table {j} has an impossible shape (s {s}, h {h}, low bytes {lowBytes}, code words {codeWords}, entries {entries})", at);
            shapes[j] = new TableShape(s, h, lowBytes, entries, codeWords);
        }
        var layout = new Layout(shapes);
        if (declared != layout.Length || length != layout.Length)
            throw Corrupt(path, $"file is {length} bytes (header says {declared}), its tables' shapes need {layout.Length} (truncated or extended)", 48, Text(layout.Length), Text(length));
        for (int j = 0; j < m; j++)
        {
            int at = FixedHeaderBytes + j * TableHeaderBytes;
            var (offsets, lows, positions, codes) = layout.Sections[j];
            ReadOnlySpan<byte> entry = header.Slice(at, TableHeaderBytes);
            if (BinaryPrimitives.ReadInt64LittleEndian(entry[24..]) != offsets || BinaryPrimitives.ReadInt64LittleEndian(entry[32..]) != lows
                || BinaryPrimitives.ReadInt64LittleEndian(entry[40..]) != positions || BinaryPrimitives.ReadInt64LittleEndian(entry[48..]) != codes)
                throw Corrupt(path, $"table {j}'s sections are not where its shape puts them", at + 24);
            uint first = *(uint*)(image.Pointer + offsets), last = *(uint*)(image.Pointer + offsets + shapes[j].OffsetsBytes - sizeof(uint));
            if (first != 0 || last != shapes[j].Entries)
                throw Corrupt(path, $"table {j}'s directory spans entries {first}..{last}, not 0..{shapes[j].Entries}", first != 0 ? offsets : offsets + shapes[j].OffsetsBytes - sizeof(uint),
                    Text(first != 0 ? 0 : shapes[j].Entries), Text(first != 0 ? first : last));
        }

        bool hasCodes = Array.TrueForAll(shapes, s => s.CodeWords != 0);
        if (generation != storeGeneration || indexedCount > storeCount || (requiredSubstringCount != 0 && requiredSubstringCount != m)
            || (codesInTables && CanHoldCodes(indexedCount, words)) != hasCodes)
            throw new MultiIndexFileException(path, MultiIndexFileError.Stale,
                $"Stale multi-index file: built over {indexedCount} codes of generation {generation} with m = {m}, {(hasCodes ? "codes in tables" : "positions only")}; the store has {storeCount} codes of generation {storeGeneration}" +
                (requiredSubstringCount != 0 ? $", m = {requiredSubstringCount} was asked for" : "") + $", {(codesInTables ? "codes in tables" : "positions only")} asked for.");
        ulong storeDigest = memory.BindingDigest(indexedCount, generation);
        if (storeDigest != digest)
            throw new MultiIndexFileException(path, MultiIndexFileError.Stale,
                $"Stale multi-index file: the store's first {indexedCount} codes and ids differ from those the tables were built over (content digest expected 0x{digest:X16}, actual 0x{storeDigest:X16}).",
                offset: 40, expected: $"0x{digest:X16}", actual: $"0x{storeDigest:X16}");
        var tables = new MultiIndexHashTable[m];
        for (int j = 0; j < m; j++) tables[j] = layout.Table(image, j);
        return new MultiIndexTables(split, tables, image, layout, indexedCount, generation, TimeSpan.Zero);
    }

    /// <summary>Whether the tables over <paramref name="entries"/> entries can keep copies of the codes (one span per table).</summary>
    public static bool CanHoldCodes(long entries, int wordsPerCode) => entries * wordsPerCode <= int.MaxValue;

    /// <summary>
    /// Streams every table's sections through XxHash3 and compares with the header; also checks that
    /// each directory never decreases and every position is below the indexed count.
    /// </summary>
    /// <exception cref="MultiIndexFileException">A section differs from its checksum, or its structure is broken.</exception>
    public static unsafe void Verify(MultiIndexTables tables, CancellationToken cancellationToken)
    {
        TablesImage image = tables.Image;
        Layout layout = tables.Layout;
        for (int j = 0; j < layout.Shapes.Length; j++)
        {
            long at = FixedHeaderBytes + j * TableHeaderBytes + 56;
            ulong stored = *(ulong*)(image.Pointer + at), computed = SectionsChecksum(image, layout, j, cancellationToken);
            if (stored != computed) throw Corrupt(image.Name, $"table {j}'s sections differ from their checksum", at, $"0x{stored:X16}", $"0x{computed:X16}");
            MultiIndexHashTable table = tables.Tables[j];
            ReadOnlySpan<uint> offsets = table.Offsets;
            for (int v = 1; v < offsets.Length; v++)
                if (offsets[v] < offsets[v - 1])
                    throw Corrupt(image.Name, $"table {j}'s directory decreases at bucket {v}", layout.Sections[j].Offsets + v * sizeof(uint), $">= {offsets[v - 1]}", Text(offsets[v]));
            ReadOnlySpan<uint> positions = table.Positions;
            for (int i = 0; i < positions.Length; i++)
                if (positions[i] >= tables.IndexedCount)
                    throw Corrupt(image.Name, $"table {j} holds position {positions[i]} past the {tables.IndexedCount} indexed codes", layout.Sections[j].Positions + (long)i * sizeof(uint), $"< {tables.IndexedCount}", Text(positions[i]));
        }
        GC.KeepAlive(image);
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static MultiIndexFileException Corrupt(string path, string detail, long offset, string? expected = null, string? actual = null, bool stale = false) =>
        new(path, stale ? MultiIndexFileError.Stale : MultiIndexFileError.Corrupt, (stale ? "Stale multi-index file: " : "Corrupt multi-index file: ") + detail + ".", offset, expected, actual);
}
