using System.Buffers.Binary;
using System.IO.Hashing;
using HammingIndex.Codes;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Storage;

/// <summary>
/// Damaged files (flipped bytes in the header, a data block, a checksum record, the tombstone log;
/// truncation; foreign files; another version) give the specific exception naming the file, never
/// garbage results or an access violation.
/// </summary>
public class CorruptionTests
{
    private const int Bits = 64;
    private const int Capacity = 64;
    private static readonly StoreFileFormat Format = new(new CodeLayout(Bits), 6);

    /// <summary>150 codes (blocks of 64, 64 and 22), ids 0..149, ids 3 and 70 deleted, in two commits.</summary>
    private static List<ulong[]> MakeStore(string path)
    {
        var random = new Random(7);
        var layout = new CodeLayout(Bits);
        var codes = new List<ulong[]>();
        using CodeStore store = CodeStore.Create(path, Bits, new CodeStoreOptions { BlockCapacity = Capacity });
        for (int i = 0; i < 150; i++)
        {
            codes.Add(StoreModel.RandomCode(layout, random));
            store.Append(codes[i], i);
            if (i == 120) store.Flush();
        }
        store.Delete(3);
        store.Delete(70);
        return codes;
    }

    private static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        int b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ 0x5A));
    }

    private static void Truncate(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.SetLength(length);
    }

    private static int NewestHeaderSlot(string path)
    {
        byte[] page = File.ReadAllBytes(path).AsSpan(0, StoreFileFormat.HeaderPageBytes).ToArray();
        ulong s0 = BinaryPrimitives.ReadUInt64LittleEndian(page.AsSpan(48));
        ulong s1 = BinaryPrimitives.ReadUInt64LittleEndian(page.AsSpan(512 + 48));
        return s1 > s0 ? 1 : 0;
    }

    [Fact]
    public void IntactStoreOpensWithItsContents()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        List<ulong[]> codes = MakeStore(path);
        using CodeStore store = CodeStore.Open(path, new CodeStoreOptions { VerifyOnOpen = true });
        Assert.Equal(150, store.Count);
        Assert.Equal(148, store.LiveCount);
        using CodeStoreSnapshot snapshot = store.AcquireSnapshot();
        Assert.Equal(codes[149], snapshot.GetCode(149).ToArray());
        Assert.True(snapshot.IsDeleted(70));
    }

    [Theory]
    [InlineData(24)] // committed count
    [InlineData(12)] // code bits
    [InlineData(121)] // the checksum itself
    public void FlippedByteInBothHeaderSlotsIsCorruption(int offsetInSlot)
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        MakeStore(path);
        FlipByte(path, offsetInSlot);
        FlipByte(path, 512 + offsetInSlot);
        var ex = Assert.Throws<StoreCorruptedException>(() => CodeStore.Open(path));
        Assert.IsNotType<StoreTruncatedException>(ex);
        Assert.Contains(path, ex.Message);
        Assert.Contains("checksum expected 0x", ex.Message);
        Assert.Equal(path, ex.FilePath);
    }

    [Fact]
    public void FlippedByteInTheOnlyHeaderOfANewStoreIsCorruption()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        CodeStore.Create(path, 100).Dispose(); // one commit: one header slot (slot 0)
        FlipByte(path, StoreFileFormat.HeaderSlotOffset(0) + 30);
        Assert.Throws<StoreCorruptedException>(() => CodeStore.Open(path));
    }

    [Fact]
    public void DamagedNewestHeaderFallsBackToThePreviousCommitOnlyWhenAskedAndSaysSo()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        List<ulong[]> codes = MakeStore(path); // commits: create, 121 codes, 150 codes + 2 deletes
        FlipByte(path, StoreFileFormat.HeaderSlotOffset(NewestHeaderSlot(path)) + 24);
        Assert.Throws<StoreHeaderDamagedException>(() => CodeStore.Open(path));
        using CodeStore store = CodeStore.Open(path, new CodeStoreOptions { VerifyOnOpen = true, RecoverToPreviousCommit = true });
        Assert.True(store.RecoveryInfo!.UsedPreviousHeader);
        Assert.Equal(121, store.Count);
        Assert.Equal(121, store.LiveCount);
        using CodeStoreSnapshot snapshot = store.AcquireSnapshot();
        Assert.Equal(codes[120], snapshot.GetCode(120).ToArray());
    }

    [Theory]
    [InlineData(0, 17)] // a code byte of block 0
    [InlineData(1, 64 * 8 + 5)] // an id byte of block 1
    public void FlippedByteInAFullDataBlockIsFoundOnFirstReadOnVerifyAndOnEagerOpen(int block, int offsetInBlock)
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        MakeStore(path);
        FlipByte(path, Format.BlockOffset(block) + offsetInBlock);

        var eager = Assert.Throws<StoreCorruptedException>(() => CodeStore.Open(path, new CodeStoreOptions { VerifyOnOpen = true }));
        Assert.Contains($"corrupted data block {block}", eager.Message);
        Assert.Contains(path, eager.Message);

        using CodeStore store = CodeStore.Open(path); // lazy: opening does not read full blocks
        using (CodeStoreSnapshot snapshot = store.AcquireSnapshot())
        {
            int other = 1 - block;
            Assert.Equal(Capacity, snapshot.GetBlock(other).Count); // the intact block reads
            var ex = Assert.Throws<StoreCorruptedException>(() => snapshot.GetBlock(block));
            Assert.Contains("checksum expected 0x", ex.Message);
            Assert.Throws<StoreCorruptedException>(() => snapshot.GetCode((long)block * Capacity + 1)); // every later read too
        }
        Assert.Throws<StoreCorruptedException>(() => store.Verify());
    }

    [Fact]
    public void FlippedByteInThePartlyFilledLastBlockIsFoundOnOpen()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        MakeStore(path);
        FlipByte(path, Format.BlockOffset(2) + 8 * 21 + 2); // code 149
        var ex = Assert.Throws<StoreCorruptedException>(() => CodeStore.Open(path));
        Assert.Contains("corrupted data block 2", ex.Message);
    }

    [Fact]
    public void FlippedByteInAChecksumRecordIsCorruption()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        MakeStore(path);
        for (int slot = 0; slot < 2; slot++) FlipByte(path, Format.RecordOffset(0, log: false, slot)); // the filled counts
        using CodeStore store = CodeStore.Open(path);
        using CodeStoreSnapshot snapshot = store.AcquireSnapshot();
        var ex = Assert.Throws<StoreCorruptedException>(() => snapshot.GetBlock(0));
        Assert.Contains("no checksum record for its 64 committed codes", ex.Message);
    }

    [Fact]
    public void FlippedByteInTheTombstoneLogIsFoundOnOpen()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        MakeStore(path);
        FlipByte(path, Format.BlockOffset(0) + Format.LogOffset + 8 + 1); // second entry
        var ex = Assert.Throws<StoreCorruptedException>(() => CodeStore.Open(path));
        Assert.Contains("corrupted tombstone log in block 0", ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void UncommittedTombstoneEntriesAreDroppedAndReported()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        MakeStore(path);
        // As if a crash came after the log entries of a flush were written but before its header.
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            var entry = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(entry, 10 + 1);
            RandomAccess.Write(file.SafeFileHandle, entry, Format.BlockOffset(0) + Format.LogOffset + 2 * 8);
        }
        using (CodeStore store = CodeStore.Open(path))
        {
            Assert.Equal(1, store.RecoveryInfo!.DroppedDeletes);
            Assert.Equal(148, store.LiveCount);
            using CodeStoreSnapshot snapshot = store.AcquireSnapshot();
            Assert.False(snapshot.IsDeleted(10));
            store.Delete(20);
        }
        using (CodeStore store = CodeStore.Open(path, new CodeStoreOptions { VerifyOnOpen = true }))
        {
            Assert.True(store.RecoveryInfo!.IsClean, store.RecoveryInfo.ToString());
            Assert.Equal(147, store.LiveCount);
        }
    }

    [Fact]
    public void TruncatedBlocksAreReportedWithExpectedAndActualLength()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        MakeStore(path);
        long cut = Format.BlockOffset(1) + 100;
        Truncate(path, cut);
        var ex = Assert.Throws<StoreTruncatedException>(() => CodeStore.Open(path));
        Assert.Equal(Format.FileLength(3), ex.ExpectedLength);
        Assert.Equal(cut, ex.ActualLength);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void TruncatedHeaderPageIsReported()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        MakeStore(path);
        Truncate(path, 1000);
        var ex = Assert.Throws<StoreTruncatedException>(() => CodeStore.Open(path));
        Assert.Equal(StoreFileFormat.HeaderPageBytes, ex.ExpectedLength);
        Assert.Equal(1000, ex.ActualLength);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(5000)]
    public void AFileThatIsNotAStoreIsRefused(int length)
    {
        using var dir = new TempDirectory();
        string path = dir.File("other.bin");
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<NotAStoreException>(() => CodeStore.Open(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("expected magic 0x", ex.Message);
    }

    [Fact]
    public void ANewerFormatVersionIsRefusedWithBothVersions()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        MakeStore(path);
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            var page = new byte[StoreFileFormat.HeaderPageBytes];
            file.ReadExactly(page);
            foreach (int slot in new[] { 0, 512 })
            {
                Span<byte> s = page.AsSpan(slot, StoreFileFormat.HeaderSlotBytes);
                BinaryPrimitives.WriteInt32LittleEndian(s[8..], 2);
                BinaryPrimitives.WriteUInt64LittleEndian(s[120..], XxHash3.HashToUInt64(s[..120]));
            }
            file.Position = 0;
            file.Write(page);
        }
        var ex = Assert.Throws<StoreVersionException>(() => CodeStore.Open(path));
        Assert.Equal(1, ex.ExpectedVersion);
        Assert.Equal(2, ex.ActualVersion);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void AnOpenStoreIsLockedAgainstASecondOpener()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        using CodeStore store = CodeStore.Create(path, 64);
        Assert.Throws<IOException>(() => CodeStore.Open(path));
        Assert.Throws<IOException>(() => CodeStore.Create(path, 64));
    }
}
