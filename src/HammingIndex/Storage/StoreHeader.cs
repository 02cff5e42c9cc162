using System.Buffers.Binary;
using System.IO.Hashing;

namespace HammingIndex.Storage;

/// <summary>
/// One header slot: the commit point of the store. <paramref name="Digest"/> is the store's content
/// digest (<see cref="StoreMemory.ContentDigest(long, long)"/>) at <paramref name="Count"/> and
/// <paramref name="Generation"/>, written with the commit so that whatever binds to the content (a
/// multi-index file) is checked against one value instead of every block's checksum record (7,630
/// scattered reads at 10^9 codes); null in slots written before it existed (bytes 56..64 were zero
/// then, and byte 64 still marks its presence), which are read as they were.
/// </summary>
internal readonly record struct StoreHeader(int Bits, int CapacityLog2, long Count, long Deletes, long Generation, ulong Sequence, ulong? Digest = null)
{
    private const int ChecksumOffset = StoreFileFormat.HeaderSlotBytes - sizeof(ulong);
    private const int DigestOffset = 56, DigestMarkOffset = 64;

    public void Write(Span<byte> slot)
    {
        slot = slot[..StoreFileFormat.HeaderSlotBytes];
        slot.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(slot, StoreFileFormat.Magic);
        BinaryPrimitives.WriteInt32LittleEndian(slot[8..], StoreFileFormat.Version);
        BinaryPrimitives.WriteInt32LittleEndian(slot[12..], Bits);
        BinaryPrimitives.WriteInt32LittleEndian(slot[16..], CapacityLog2);
        BinaryPrimitives.WriteInt64LittleEndian(slot[24..], Count);
        BinaryPrimitives.WriteInt64LittleEndian(slot[32..], Deletes);
        BinaryPrimitives.WriteInt64LittleEndian(slot[40..], Generation);
        BinaryPrimitives.WriteUInt64LittleEndian(slot[48..], Sequence);
        if (Digest is ulong digest)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(slot[DigestOffset..], digest);
            slot[DigestMarkOffset] = 1;
        }
        BinaryPrimitives.WriteUInt64LittleEndian(slot[ChecksumOffset..], XxHash3.HashToUInt64(slot[..ChecksumOffset]));
    }

    /// <summary>What a header slot holds, before any value is trusted.</summary>
    public enum SlotState { NoMagic, OtherVersion, BadChecksum, Valid }

    public static SlotState Read(ReadOnlySpan<byte> slot, out StoreHeader header, out int version, out ulong storedChecksum, out ulong actualChecksum)
    {
        header = default;
        version = 0;
        storedChecksum = actualChecksum = 0;
        if (slot.Length < StoreFileFormat.HeaderSlotBytes) return slot.Length >= 8 && BinaryPrimitives.ReadUInt64LittleEndian(slot) == StoreFileFormat.Magic ? SlotState.BadChecksum : SlotState.NoMagic;
        if (BinaryPrimitives.ReadUInt64LittleEndian(slot) != StoreFileFormat.Magic) return SlotState.NoMagic;
        version = BinaryPrimitives.ReadInt32LittleEndian(slot[8..]);
        storedChecksum = BinaryPrimitives.ReadUInt64LittleEndian(slot[ChecksumOffset..]);
        actualChecksum = XxHash3.HashToUInt64(slot[..ChecksumOffset]);
        if (storedChecksum != actualChecksum) return version != StoreFileFormat.Version ? SlotState.OtherVersion : SlotState.BadChecksum;
        if (version != StoreFileFormat.Version) return SlotState.OtherVersion;
        header = new StoreHeader(
            BinaryPrimitives.ReadInt32LittleEndian(slot[12..]),
            BinaryPrimitives.ReadInt32LittleEndian(slot[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(slot[24..]),
            BinaryPrimitives.ReadInt64LittleEndian(slot[32..]),
            BinaryPrimitives.ReadInt64LittleEndian(slot[40..]),
            BinaryPrimitives.ReadUInt64LittleEndian(slot[48..]),
            slot[DigestMarkOffset] == 1 ? BinaryPrimitives.ReadUInt64LittleEndian(slot[DigestOffset..]) : null);
        return SlotState.Valid;
    }
}
