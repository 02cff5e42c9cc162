using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

/// <summary>
/// The saved form of a <see cref="MultiIndexTables"/> build, little-endian:
/// a header (magic, format version, code bits, m, indexed count, store generation, the store's
/// <see cref="StoreMemory.ContentDigest"/> over the indexed codes, then per table its substring bits, layout, slot and position counts) closed by
/// its XxHash3 checksum; then per table its offsets, sorted keys (sorted layout only) and positions,
/// each table closed by an XxHash3 checksum of its bytes. The file length must match the header
/// exactly. Written with <see cref="AtomicFile"/> (temporary file, fsync, rename, directory fsync; removed on failure), so a crash leaves the old file or the new one.
/// The tables' copies of the codes (<see cref="MultiIndexOptions.CodesInTables"/>) are not saved:
/// loading gathers them from the store again, so they always equal the store's codes.
/// </summary>
internal static class MultiIndexFile
{
    /// <summary>2: the store is bound by its content digest (version 1 sampled 64 codes and is refused).</summary>
    public const int FormatVersion = 2;
    private const ulong Magic = 0x31_4C_42_54_48_49_4D_48; // "HMIHTBL1"
    private const int FixedHeaderBytes = 48;
    private const int TableHeaderBytes = 16;

    public static void Save(MultiIndexTables tables, StoreMemory memory, string path, StoreFileSystem fileSystem)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Multi-index files are written on little-endian machines only.");
        int m = tables.Split.Count;
        var header = new byte[FixedHeaderBytes + m * TableHeaderBytes + sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(0), Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), tables.Split.Bits);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), m);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(24), tables.IndexedCount);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(32), tables.Generation);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(40), memory.ContentDigest(tables.IndexedCount, tables.Generation));
        for (int j = 0; j < m; j++)
        {
            MultiIndexHashTable table = tables.Tables[j];
            Span<byte> entry = header.AsSpan(FixedHeaderBytes + j * TableHeaderBytes, TableHeaderBytes);
            BinaryPrimitives.WriteInt32LittleEndian(entry, table.SubstringBits);
            BinaryPrimitives.WriteInt32LittleEndian(entry[4..], table.IsDirect ? 0 : 1);
            BinaryPrimitives.WriteInt32LittleEndian(entry[8..], table.SlotCount);
            BinaryPrimitives.WriteInt32LittleEndian(entry[12..], table.PositionCount);
        }
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(header.Length - 8), XxHash3.HashToUInt64(header.AsSpan(0, header.Length - 8)));

        AtomicFile.Write(path, stream =>
        {
            stream.Write(header);
            Span<byte> checksum = stackalloc byte[sizeof(ulong)];
            foreach (MultiIndexHashTable table in tables.Tables)
            {
                var hash = new XxHash3();
                WriteSection(stream, hash, MemoryMarshal.AsBytes(table.Offsets.AsSpan()));
                if (table.Keys is not null) WriteSection(stream, hash, MemoryMarshal.AsBytes(table.Keys.AsSpan()));
                WriteSection(stream, hash, MemoryMarshal.AsBytes(table.Positions.AsSpan()));
                BinaryPrimitives.WriteUInt64LittleEndian(checksum, hash.GetCurrentHashAsUInt64());
                stream.Write(checksum);
            }
        }, overwrite: true, fileSystem);
    }

    /// <summary>Reads a saved build and checks that it belongs to the store behind <paramref name="memory"/>.</summary>
    /// <exception cref="MultiIndexFileException">Not a multi-index file, another version, corrupt, or stale.</exception>
    public static MultiIndexTables Load(string path, StoreMemory memory, long storeCount, long storeGeneration, int requiredSubstringCount, bool codesInTables)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Multi-index files are read on little-endian machines only.");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        long length = stream.Length;
        Span<byte> fixedPart = stackalloc byte[FixedHeaderBytes];
        if (length < sizeof(ulong) || BinaryPrimitives.ReadUInt64LittleEndian(Read(stream, fixedPart[..sizeof(ulong)])) != Magic)
            throw new MultiIndexFileException(path, MultiIndexFileError.NotAMultiIndexFile, "Not a multi-index file (bad magic number or too short).");
        if (length < FixedHeaderBytes) throw Corrupt(path, $"file of {length} bytes is shorter than the {FixedHeaderBytes}-byte header");
        Read(stream, fixedPart[sizeof(ulong)..]);
        int version = BinaryPrimitives.ReadInt32LittleEndian(fixedPart[8..]);
        if (version != FormatVersion)
            throw new MultiIndexFileException(path, MultiIndexFileError.UnsupportedVersion,
                (version is > 0 and < FormatVersion
                    ? $"Format version {version} is older than this build's version {FormatVersion} (it did not bind the tables to the store's content); rebuild the tables (OpenOrBuild does)."
                    : $"Format version {version}; this build reads version {FormatVersion}."),
                offset: 8, expected: FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), actual: version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        int bits = BinaryPrimitives.ReadInt32LittleEndian(fixedPart[12..]);
        int m = BinaryPrimitives.ReadInt32LittleEndian(fixedPart[16..]);
        if (bits != memory.Layout.Bits)
            throw Corrupt(path, $"header says {bits}-bit codes, the store holds {memory.Layout.Bits}-bit codes", stale: bits >= Codes.CodeLayout.MinBits && bits <= Codes.CodeLayout.MaxBits);
        if (m < SubstringSplit.MinCount(bits) || m > bits) throw Corrupt(path, $"substring count {m} is impossible for {bits}-bit codes");
        long headerLength = FixedHeaderBytes + (long)m * TableHeaderBytes + sizeof(ulong);
        if (length < headerLength) throw Corrupt(path, $"file of {length} bytes is shorter than its {headerLength}-byte header");
        var header = new byte[headerLength];
        fixedPart.CopyTo(header);
        Read(stream, header.AsSpan(FixedHeaderBytes));
        if (BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(header.Length - 8)) != XxHash3.HashToUInt64(header.AsSpan(0, header.Length - 8)))
            throw Corrupt(path, "header checksum mismatch");

        long indexedCount = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(24));
        long generation = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(32));
        ulong digest = BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(40));
        var split = new SubstringSplit(bits, m);
        var entries = new (int Bits, bool Direct, int Slots, int Positions)[m];
        long expected = headerLength;
        for (int j = 0; j < m; j++)
        {
            ReadOnlySpan<byte> entry = header.AsSpan(FixedHeaderBytes + j * TableHeaderBytes, TableHeaderBytes);
            int s = BinaryPrimitives.ReadInt32LittleEndian(entry);
            int kind = BinaryPrimitives.ReadInt32LittleEndian(entry[4..]);
            int slots = BinaryPrimitives.ReadInt32LittleEndian(entry[8..]);
            int positions = BinaryPrimitives.ReadInt32LittleEndian(entry[12..]);
            bool direct = kind == 0;
            if (s != split.Length(j) || (kind != 0 && kind != 1) || slots < 0 || positions < 0 || positions > indexedCount
                || (direct && (s > MultiIndexHashTable.MaxDirectBits || slots != 1 << s)) || (!direct && slots > positions))
                throw Corrupt(path, $"table {j} has an impossible shape");
            entries[j] = (s, direct, slots, positions);
            expected += (slots + 1L) * sizeof(uint) + (direct ? 0 : slots * (long)sizeof(ulong)) + positions * (long)sizeof(uint) + sizeof(ulong);
        }
        if (length != expected) throw Corrupt(path, $"file is {length} bytes, its header describes {expected} (truncated or extended)");

        if (generation != storeGeneration || indexedCount > storeCount || (requiredSubstringCount != 0 && requiredSubstringCount != m))
            throw new MultiIndexFileException(path, MultiIndexFileError.Stale,
                $"built over {indexedCount} codes of generation {generation} with m = {m}; the store has {storeCount} codes of generation {storeGeneration}" +
                (requiredSubstringCount != 0 ? $" and m = {requiredSubstringCount} was asked for" : ""));
        ulong storeDigest = memory.ContentDigest(indexedCount, generation);
        if (storeDigest != digest)
            throw new MultiIndexFileException(path, MultiIndexFileError.Stale,
                $"Stale multi-index file: the store's first {indexedCount} codes and ids differ from those the tables were built over (content digest expected 0x{digest:X16}, actual 0x{storeDigest:X16}).",
                offset: 40, expected: $"0x{digest:X16}", actual: $"0x{storeDigest:X16}");

        var tables = new MultiIndexHashTable[m];
        Span<byte> checksum = stackalloc byte[sizeof(ulong)];
        for (int j = 0; j < m; j++)
        {
            var (s, direct, slots, count) = entries[j];
            var offsets = new uint[slots + 1];
            ulong[]? keys = direct ? null : new ulong[slots];
            var positions = new uint[count];
            var hash = new XxHash3();
            hash.Append(Read(stream, MemoryMarshal.AsBytes(offsets.AsSpan())));
            if (keys is not null) hash.Append(Read(stream, MemoryMarshal.AsBytes(keys.AsSpan())));
            hash.Append(Read(stream, MemoryMarshal.AsBytes(positions.AsSpan())));
            if (BinaryPrimitives.ReadUInt64LittleEndian(Read(stream, checksum)) != hash.GetCurrentHashAsUInt64())
                throw Corrupt(path, $"table {j} checksum mismatch");
            CheckStructure(path, j, s, offsets, keys, positions, indexedCount);
            tables[j] = new MultiIndexHashTable(s, offsets, positions, keys);
            if (codesInTables && MultiIndexTableBuilder.CanHoldCodes(count, memory.Layout.WordsPerCode))
                tables[j] = tables[j].WithCodes(MultiIndexTableBuilder.GatherCodes(memory, positions));
        }
        return new MultiIndexTables(split, tables, indexedCount, generation, TimeSpan.Zero);
    }

    /// <summary>Searches trust offsets and positions blindly: check them even after the checksum.</summary>
    private static void CheckStructure(string path, int j, int s, uint[] offsets, ulong[]? keys, uint[] positions, long indexedCount)
    {
        if (offsets[0] != 0 || offsets[^1] != positions.Length) throw Corrupt(path, $"table {j} offsets do not span its positions");
        for (int i = 1; i < offsets.Length; i++)
            if (offsets[i] < offsets[i - 1]) throw Corrupt(path, $"table {j} offsets decrease at slot {i}");
        foreach (uint p in positions)
            if (p >= indexedCount) throw Corrupt(path, $"table {j} holds position {p} past the {indexedCount} indexed codes");
        if (keys is null) return;
        ulong limit = s == 64 ? ulong.MaxValue : (1UL << s) - 1;
        for (int i = 0; i < keys.Length; i++)
            if (keys[i] > limit || (i > 0 && keys[i] <= keys[i - 1])) throw Corrupt(path, $"table {j} keys are not sorted {s}-bit values");
    }

    private static void WriteSection(Stream stream, XxHash3 hash, ReadOnlySpan<byte> section)
    {
        hash.Append(section);
        stream.Write(section);
    }

    private static Span<byte> Read(Stream stream, Span<byte> buffer)
    {
        stream.ReadExactly(buffer);
        return buffer;
    }

    private static MultiIndexFileException Corrupt(string path, string detail, bool stale = false) =>
        new(path, stale ? MultiIndexFileError.Stale : MultiIndexFileError.Corrupt, (stale ? "Stale multi-index file: " : "Corrupt multi-index file: ") + detail + ".");
}
