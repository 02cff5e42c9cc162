using System.IO.Hashing;
using HammingIndex.Codes;

namespace HammingIndex.Storage;

/// <summary>
/// The on-disk layout of a store file (little-endian; see docs/RELIABILITY.md):
/// <code>
/// [header page, 4096 B: header slot 0 at 0, header slot 1 at 512]
/// [block 0][block 1]...   block b at 4096 + b * Stride, each page-aligned:
///   codes  Capacity * BytesPerCode   (64-byte aligned)
///   ids    Capacity * 8
///   log    Capacity * 8              tombstone log entries i in [b*Capacity, (b+1)*Capacity): position+1
///   trailer 4 records of 16 B: code record 0/1, log record 0/1 = (filled count, XxHash3)
/// </code>
/// </summary>
internal readonly struct StoreFileFormat
{
    public const ulong Magic = 0x45524F5453474D48; // "HMGSTORE" read little-endian
    public const int Version = 1;
    public const int HeaderPageBytes = 4096;
    public const int HeaderSlotBytes = 128;
    public const int TrailerBytes = 64;
    public const int RecordBytes = 16;
    public const int MinCapacityLog2 = 6;
    public const int MaxCapacityLog2 = 24;
    public const long MaxBlockCodeBytes = 1L << 30; // a block's codes stay addressable by one span

    /// <summary>Why <paramref name="capacityLog2"/> is not a valid block capacity for <paramref name="layout"/>, or null.</summary>
    public static string? CheckCapacity(Codes.CodeLayout layout, int capacityLog2) =>
        capacityLog2 is < MinCapacityLog2 or > MaxCapacityLog2
            ? $"block capacity 2^{capacityLog2} is outside 2^{MinCapacityLog2}..2^{MaxCapacityLog2}"
            : (1L << capacityLog2) * layout.BytesPerCode > MaxBlockCodeBytes
                ? $"block capacity 2^{capacityLog2} of {layout.Bits}-bit codes exceeds {MaxBlockCodeBytes} bytes of codes per block"
                : null;

    public static int HeaderSlotOffset(int slot) => slot * 512;

    public StoreFileFormat(CodeLayout layout, int capacityLog2)
    {
        Layout = layout;
        CapacityLog2 = capacityLog2;
        long capacity = 1L << capacityLog2;
        IdsOffset = capacity * layout.BytesPerCode;
        LogOffset = IdsOffset + capacity * sizeof(long);
        TrailerOffset = LogOffset + capacity * sizeof(long);
        Stride = (TrailerOffset + TrailerBytes + HeaderPageBytes - 1) / HeaderPageBytes * HeaderPageBytes;
    }

    public CodeLayout Layout { get; }

    public int CapacityLog2 { get; }

    public int Capacity => 1 << CapacityLog2;

    /// <summary>Offset of the ids inside a block (right after the codes).</summary>
    public long IdsOffset { get; }

    /// <summary>Offset of the tombstone-log entries inside a block.</summary>
    public long LogOffset { get; }

    /// <summary>Offset of the four checksum records inside a block.</summary>
    public long TrailerOffset { get; }

    /// <summary>Bytes per block in the file (a multiple of the page).</summary>
    public long Stride { get; }

    public long BlockOffset(long block) => HeaderPageBytes + block * Stride;

    /// <summary>File length that holds blocks 0..blocks-1.</summary>
    public long FileLength(long blocks) => HeaderPageBytes + blocks * Stride;

    /// <summary>Blocks needed for <paramref name="count"/> entries.</summary>
    public long BlocksFor(long count) => (count + Capacity - 1) >> CapacityLog2;

    /// <summary>How many of <paramref name="count"/> entries fall in block <paramref name="block"/>.</summary>
    public int FilledIn(long block, long count) => (int)Math.Clamp(count - (block << CapacityLog2), 0, Capacity);

    /// <summary>File offset of checksum record <paramref name="slot"/> (0/1) of the codes (or of the log) of a block.</summary>
    public long RecordOffset(long block, bool log, int slot) => BlockOffset(block) + TrailerOffset + (log ? 2 : 0) * RecordBytes + slot * RecordBytes;

    /// <summary>Checksum of the first <paramref name="filled"/> codes and ids of a block (seeded by the block index, so a moved block does not match).</summary>
    public unsafe ulong CodeChecksum(long block, byte* blockBase, int filled) =>
        CodeChecksum(block, new ReadOnlySpan<byte>(blockBase, checked(filled * Layout.BytesPerCode)), new ReadOnlySpan<byte>(blockBase + IdsOffset, filled * sizeof(long)));

    /// <summary>The same checksum over the codes and the ids of a block given apart (as read from the file, or held in memory).</summary>
    public static ulong CodeChecksum(long block, ReadOnlySpan<byte> codes, ReadOnlySpan<byte> ids)
    {
        var hash = new XxHash3(block);
        hash.Append(codes);
        hash.Append(ids);
        return hash.GetCurrentHashAsUInt64();
    }

    /// <summary>Checksum of the committed tombstone-log entries of a block.</summary>
    public static ulong LogChecksum(long block, ReadOnlySpan<byte> entries) => XxHash3.HashToUInt64(entries, ~block);
}
