using HammingIndex.CrashWriter;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Storage;

/// <summary>
/// Opening a file-backed store checks only the header, the tombstone log and the partly filled last
/// block; every other block is checked on its first read, or all at open with VerifyOnOpen.
/// </summary>
public class LazyVerificationTests
{
    private static string MakeStore(TempDirectory dir, int count)
    {
        string path = dir.File("lazy.hix");
        using CodeStore store = CodeStore.Create(path, 96, new CodeStoreOptions { BlockCapacity = 64 });
        for (long s = 0; s < count; s++) store.Append(CrashWorkload.CodeFor(store.Layout, s), s);
        return path;
    }

    private static bool[] VerifiedBlocks(CodeStore store)
    {
        StoreMemory memory = store.AcquireMemory(out _, out _);
        try
        {
            return Enumerable.Range(0, memory.BlockCount).Select(memory.IsVerified).ToArray();
        }
        finally
        {
            memory.Release();
        }
    }

    [Fact]
    public void OpenChecksOnlyThePartlyFilledLastBlockAndReadsCheckTheRestOneByOne()
    {
        using var dir = new TempDirectory();
        string path = MakeStore(dir, 10 * 64 + 5);
        using CodeStore store = CodeStore.Open(path);
        bool[] verified = VerifiedBlocks(store);
        Assert.Equal(11, verified.Length);
        Assert.Equal([.. Enumerable.Repeat(false, 10), true], verified);

        using (CodeStoreSnapshot snapshot = store.AcquireSnapshot())
        {
            Assert.Equal(3 * 64, snapshot.GetBlock(3).FirstPosition);
        }
        verified = VerifiedBlocks(store);
        Assert.Equal(Enumerable.Range(0, 11).Select(b => b is 3 or 10).ToArray(), verified);

        Assert.Equal(10 * 64 + 5, store.Verify());
        Assert.All(VerifiedBlocks(store), Assert.True);
    }

    [Fact]
    public void VerifyOnOpenChecksEveryBlock()
    {
        using var dir = new TempDirectory();
        string path = MakeStore(dir, 4 * 64);
        using CodeStore store = CodeStore.Open(path, new CodeStoreOptions { VerifyOnOpen = true });
        Assert.Equal([true, true, true, true], VerifiedBlocks(store));
    }

    [Fact]
    public void BlocksAppendedAfterOpenNeedNoCheck()
    {
        using var dir = new TempDirectory();
        string path = MakeStore(dir, 64);
        using CodeStore store = CodeStore.Open(path);
        for (long s = 64; s < 200; s++) store.Append(CrashWorkload.CodeFor(store.Layout, s), s);
        Assert.Equal([false, true, true, true], VerifiedBlocks(store));
    }

    [Fact]
    public unsafe void MappedCodesAre64ByteAlignedInEveryBlock()
    {
        using var dir = new TempDirectory();
        string path = MakeStore(dir, 5 * 64 + 1);
        using CodeStore store = CodeStore.Open(path);
        StoreMemory memory = store.AcquireMemory(out _, out _);
        try
        {
            for (int b = 0; b < memory.BlockCount; b++)
            {
                Assert.Equal(0, (long)memory.CodePointer(b) % 64);
                Assert.Equal(0, (long)memory.IdPointer(b) % 64);
            }
        }
        finally
        {
            memory.Release();
        }
    }
}
