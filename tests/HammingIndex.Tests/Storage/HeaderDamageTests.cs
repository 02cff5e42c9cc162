using HammingIndex.Codes;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Storage;

/// <summary>
/// A damaged header slot never makes <see cref="CodeStore.Open"/> drop acknowledged data: a damaged newer
/// slot while the file holds its commit is refused (and nothing on disk changes); rolling back is an
/// explicit option; a damaged older slot is harmless and reported as the older one.
/// </summary>
public class HeaderDamageTests
{
    private const int Bits = 64;

    /// <summary>Three commits: create (empty), 121 codes, then 150 codes and (optionally) 2 deletes; or the last one deletes only.</summary>
    private static List<ulong[]> MakeStore(string path, bool lastCommitDeletesOnly = false)
    {
        var random = new Random(11);
        var layout = new CodeLayout(Bits);
        var codes = new List<ulong[]>();
        using CodeStore store = CodeStore.Create(path, Bits, new CodeStoreOptions { BlockCapacity = 64 });
        int first = lastCommitDeletesOnly ? 150 : 121;
        for (int i = 0; i < 150; i++)
        {
            codes.Add(StoreModel.RandomCode(layout, random));
            store.Append(codes[i], i);
            if (i == first - 1) store.Flush();
        }
        store.Delete(3);
        store.Delete(70);
        return codes;
    }

    internal static int NewestSlot(string path)
    {
        byte[] page = File.ReadAllBytes(path).AsSpan(0, StoreFileFormat.HeaderPageBytes).ToArray();
        ulong[] sequence = new ulong[2];
        for (int s = 0; s < 2; s++)
        {
            Assert.Equal(StoreHeader.SlotState.Valid, StoreHeader.Read(page.AsSpan(StoreFileFormat.HeaderSlotOffset(s), StoreFileFormat.HeaderSlotBytes), out StoreHeader h, out _, out _, out _));
            sequence[s] = h.Sequence;
        }
        return sequence[1] > sequence[0] ? 1 : 0;
    }

    internal static void FlipBit(string path, long offset, int bit)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        int b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ (1 << bit)));
    }

    [Theory]
    [InlineData(12, 0, false)] // code bits
    [InlineData(24, 3, false)] // committed count
    [InlineData(32, 1, true)] // deletes
    [InlineData(48, 0, false)] // sequence
    [InlineData(77, 6, true)] // reserved zeros
    [InlineData(127, 7, false)] // the checksum
    public void AFlippedBitInTheNewestSlotIsRefusedAndNothingChanges(int offsetInSlot, int bit, bool lastCommitDeletesOnly)
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        MakeStore(path, lastCommitDeletesOnly);
        int newest = NewestSlot(path);
        FlipBit(path, StoreFileFormat.HeaderSlotOffset(newest) + offsetInSlot, bit);
        byte[] before = File.ReadAllBytes(path);

        var ex = Assert.Throws<StoreHeaderDamagedException>(() => CodeStore.Open(path));
        Assert.Equal(newest, ex.DamagedSlot);
        Assert.Equal(StoreFileFormat.HeaderSlotOffset(newest), ex.Offset);
        Assert.Equal(path, ex.FilePath);
        Assert.Contains($"newer header slot {newest}", ex.Message);
        Assert.Contains("RecoverToPreviousCommit", ex.Message);
        Assert.NotNull(ex.Expected);
        Assert.NotNull(ex.Actual);
        Assert.Equal(before, File.ReadAllBytes(path)); // the refusal changed nothing
        Assert.Throws<StoreHeaderDamagedException>(() => CodeStore.Open(path, new CodeStoreOptions { VerifyOnOpen = true }));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void RollingBackIsExplicitAndDurable()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        List<ulong[]> codes = MakeStore(path);
        int newest = NewestSlot(path);
        FlipBit(path, StoreFileFormat.HeaderSlotOffset(newest) + 24, 0);
        using (CodeStore store = CodeStore.Open(path, new CodeStoreOptions { RecoverToPreviousCommit = true }))
        {
            Assert.True(store.RecoveryInfo!.UsedPreviousHeader);
            Assert.Equal(newest, store.RecoveryInfo.DamagedHeaderSlot);
            Assert.Contains($"newer header slot {newest}", store.RecoveryInfo.ToString());
            Assert.Equal(121, store.Count);
            Assert.Equal(29, store.RecoveryInfo.DroppedCodes);
            using CodeStoreSnapshot snapshot = store.AcquireSnapshot();
            Assert.Equal(codes[120], snapshot.GetCode(120).ToArray());
        }
        // The rollback was committed: the next open is clean, without the option.
        using (CodeStore store = CodeStore.Open(path, new CodeStoreOptions { VerifyOnOpen = true }))
        {
            Assert.True(store.RecoveryInfo!.IsClean, store.RecoveryInfo.ToString());
            Assert.Equal(121, store.Count);
        }
    }

    [Theory]
    [InlineData(0, 0)] // magic
    [InlineData(7, 7)] // magic, last byte
    [InlineData(8, 1)] // version
    [InlineData(11, 7)] // version, high byte
    public void DamagedMagicOrVersionBytesOfTheNewestSlotAreHeaderDamageNotAForeignFile(int offsetInSlot, int bit)
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        MakeStore(path);
        int newest = NewestSlot(path);
        FlipBit(path, StoreFileFormat.HeaderSlotOffset(newest) + offsetInSlot, bit);
        var ex = Assert.Throws<StoreHeaderDamagedException>(() => CodeStore.Open(path));
        Assert.Equal(newest, ex.DamagedSlot);
        Assert.Contains(offsetInSlot < 8 ? "magic expected" : "version expected", ex.Message);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(24, 2)]
    [InlineData(120, 5)]
    public void ADamagedOlderSlotIsReportedAsTheOlderOneAndTheNewestCommitOpens(int offsetInSlot, int bit)
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        List<ulong[]> codes = MakeStore(path);
        int older = 1 - NewestSlot(path);
        FlipBit(path, StoreFileFormat.HeaderSlotOffset(older) + offsetInSlot, bit);
        using (CodeStore store = CodeStore.Open(path, new CodeStoreOptions { VerifyOnOpen = true }))
        {
            Assert.False(store.RecoveryInfo!.UsedPreviousHeader);
            Assert.Equal(older, store.RecoveryInfo.DamagedHeaderSlot);
            Assert.Contains($"older header slot {older}", store.RecoveryInfo.ToString());
            Assert.DoesNotContain("newer", store.RecoveryInfo.ToString());
            Assert.Equal(150, store.Count);
            Assert.Equal(148, store.LiveCount);
            using CodeStoreSnapshot snapshot = store.AcquireSnapshot();
            Assert.Equal(codes[149], snapshot.GetCode(149).ToArray());
            store.Append(codes[0], 500); // the next commit rewrites the damaged slot
        }
        using (CodeStore store = CodeStore.Open(path))
        {
            Assert.True(store.RecoveryInfo!.IsClean, store.RecoveryInfo.ToString());
            Assert.Equal(151, store.Count);
        }
    }

    [Fact]
    public void TheFirstFlushAfterCreateLeavesTheCreateHeaderIntact()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        // The created store itself is flushed (not a reopened one: opening reads the sequence from the file).
        CodeStore created = CodeStore.Create(path, Bits, new CodeStoreOptions { BlockCapacity = 64 });
        created.Append(new ulong[] { 42 }, 7);
        created.Flush();
        created.SimulateCrash(); // let go of the file without another commit
        {
            byte[] page = File.ReadAllBytes(path).AsSpan(0, StoreFileFormat.HeaderPageBytes).ToArray();
            var create = Slot(page, 0, out StoreHeader.SlotState createState);
            Assert.Equal(StoreHeader.SlotState.Valid, createState); // the create commit is still there, in its own slot
            Assert.Equal(0, create.Count);
            Assert.Equal(0UL, create.Sequence);
            var flushed = Slot(page, 1, out StoreHeader.SlotState flushedState);
            Assert.Equal(StoreHeader.SlotState.Valid, flushedState); // the flush went to the other slot
            Assert.Equal(1, flushed.Count);
            Assert.Equal(1UL, flushed.Sequence);
        }
        // A first header write that never reached the disk leaves the create commit, not "no usable header".
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = StoreFileFormat.HeaderSlotOffset(1);
            file.Write(new byte[StoreFileFormat.HeaderSlotBytes]);
        }
        using CodeStore reopened = CodeStore.Open(path);
        Assert.Equal(0, reopened.Count);
        Assert.Equal(1, reopened.RecoveryInfo!.DroppedCodes);
    }

    private static StoreHeader Slot(byte[] page, int slot, out StoreHeader.SlotState state)
    {
        state = StoreHeader.Read(page.AsSpan(StoreFileFormat.HeaderSlotOffset(slot), StoreFileFormat.HeaderSlotBytes), out StoreHeader header, out _, out _, out _);
        return header;
    }

    /// <summary>Overwrites <paramref name="length"/> bytes at <paramref name="offset"/> with <paramref name="value"/>.</summary>
    private static void Fill(string path, long offset, int length, byte value)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        file.Write(Enumerable.Repeat(value, length).ToArray());
    }

    [Fact]
    public void AZeroedNewestSlotIsDamageNotANeverWrittenSlot()
    {
        // Found by the byte-mutation fuzzer: a range copy of zeros over the newer slot, and the open fell
        // back to the older commit (121 codes) as if the slot had never been written.
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        List<ulong[]> codes = MakeStore(path);
        int newest = NewestSlot(path);
        Fill(path, StoreFileFormat.HeaderSlotOffset(newest), StoreFileFormat.HeaderSlotBytes, 0);
        byte[] before = File.ReadAllBytes(path);

        var ex = Assert.Throws<StoreHeaderDamagedException>(() => CodeStore.Open(path));
        Assert.Equal(newest, ex.DamagedSlot);
        Assert.Contains("magic expected", ex.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        using CodeStore store = CodeStore.Open(path, new CodeStoreOptions { RecoverToPreviousCommit = true });
        Assert.Equal(121, store.Count);
        using CodeStoreSnapshot snapshot = store.AcquireSnapshot();
        Assert.Equal(codes[120], snapshot.GetCode(120).ToArray());
    }

    [Fact]
    public void ACreatedStoresUnwrittenSlotStillOpens()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        using (CodeStore.Create(path, Bits)) { }
        Assert.True(File.ReadAllBytes(path).AsSpan(StoreFileFormat.HeaderSlotOffset(1), StoreFileFormat.HeaderSlotBytes).IndexOfAnyExcept((byte)0) < 0,
            "a created store has written slot 0 only");
        using CodeStore store = CodeStore.Open(path, new CodeStoreOptions { VerifyOnOpen = true });
        Assert.Equal(0, store.Count);
        Assert.True(store.RecoveryInfo!.IsClean, store.RecoveryInfo.ToString());
    }

    [Fact]
    public void ANewerCommitWhoseChecksumRecordsAreDamagedTooIsStillRefused()
    {
        // The newer slot damaged, and the records that would prove its commit damaged as well: the file
        // still holds 29 codes past the older commit's 121 (positions 121..127 in block 1, block 2 whole),
        // which only a newer commit or a flush that never committed can have written. Opening at the
        // older commit would drop them as an uncommitted tail; it is refused as with matching records.
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        MakeStore(path);
        int newest = NewestSlot(path);
        var format = new StoreFileFormat(new CodeLayout(Bits), 6);
        FlipBit(path, StoreFileFormat.HeaderSlotOffset(newest) + 24, 0);
        for (int slot = 0; slot < 2; slot++)
        {
            Fill(path, format.RecordOffset(1, log: false, slot), StoreFileFormat.RecordBytes, 0xA5);
            Fill(path, format.RecordOffset(1, log: true, slot), StoreFileFormat.RecordBytes, 0xA5);
            Fill(path, format.RecordOffset(0, log: true, slot), StoreFileFormat.RecordBytes, 0xA5);
        }
        byte[] before = File.ReadAllBytes(path);

        var ex = Assert.Throws<StoreHeaderDamagedException>(() => CodeStore.Open(path));
        Assert.Equal(newest, ex.DamagedSlot);
        Assert.Contains("no checksum record vouches for them", ex.Message);
        Assert.Equal(before, File.ReadAllBytes(path));

        // Without block 2 the written slots of block 1 past the committed 121 are the evidence.
        File.WriteAllBytes(path, before.AsSpan(0, (int)format.FileLength(2)).ToArray());
        var inBlock = Assert.Throws<StoreHeaderDamagedException>(() => CodeStore.Open(path));
        Assert.Contains("block 1 holds written code or id bytes past its 57 committed codes", inBlock.Message);
    }
}
