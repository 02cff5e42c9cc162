using HammingIndex.Storage;

namespace HammingIndex.Tests.Storage;

/// <summary>Bad arguments to Create/Open get an exception naming the parameter and the value.</summary>
public class StoreArgumentTests
{
    [Theory]
    [InlineData(64, 100)] // not a power of two
    [InlineData(64, 32)] // below 64
    [InlineData(64, 1 << 25)] // above 2^24
    [InlineData(4096, 1 << 24)] // 8 GiB of codes in one block
    public void InvalidBlockCapacityIsRefused(int bits, int capacity)
    {
        using var dir = new TempDirectory();
        var options = new CodeStoreOptions { BlockCapacity = capacity };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => CodeStore.Create(dir.File("s.hix"), bits, options));
        Assert.Equal("BlockCapacity", ex.ParamName);
        Assert.Equal(capacity, ex.ActualValue);
        Assert.False(File.Exists(dir.File("s.hix")));
        Assert.Throws<ArgumentOutOfRangeException>(() => CodeStore.CreateInMemory(bits, options));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(4097)]
    public void InvalidCodeLengthIsRefused(int bits)
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => CodeStore.Create(dir.File("s.hix"), bits));
        Assert.Equal("bits", ex.ParamName);
        Assert.Equal(bits, ex.ActualValue);
    }

    [Fact]
    public void CreateRefusesAnExistingFileAndOpenAMissingOne()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        File.WriteAllText(path, "keep me");
        var exists = Assert.Throws<IOException>(() => CodeStore.Create(path, 64));
        Assert.Contains(path, exists.Message);
        Assert.Equal("keep me", File.ReadAllText(path));
        Assert.Throws<FileNotFoundException>(() => CodeStore.Open(dir.File("missing.hix")));
    }

    [Fact]
    public void PathIsTheFullPathForAFileAndNullInMemory()
    {
        using var dir = new TempDirectory();
        string path = dir.File("s.hix");
        using (CodeStore store = CodeStore.Create(path, 64))
        {
            Assert.Equal(path, store.Path);
            Assert.Null(store.RecoveryInfo);
        }
        using (CodeStore store = CodeStore.Open(path))
        {
            Assert.Equal(path, store.Path);
            Assert.True(store.RecoveryInfo!.IsClean);
            store.Compact();
            Assert.Equal(path, store.Path);
        }
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(dir.FullPath).Select(Path.GetFileName));
        using CodeStore memory = CodeStore.CreateInMemory(64);
        Assert.Null(memory.Path);
        Assert.Equal(0, memory.Verify());
    }
}
