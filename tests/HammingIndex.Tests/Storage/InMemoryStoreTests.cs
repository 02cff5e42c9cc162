using HammingIndex.Storage;

namespace HammingIndex.Tests.Storage;

public class InMemoryStoreTests
{
    [Fact]
    public void AppendedCodesAreReadBackInOrderWithTheirIds()
    {
        using var store = CodeStore.CreateInMemory(100);
        store.Append([1UL, 0xFUL], 10);
        store.AppendRange([2UL, 0UL, 3UL, 1UL], [20, 30]);
        using var snap = store.AcquireSnapshot();
        Assert.Equal(3, snap.Count);
        Assert.Equal([2UL, 0UL], snap.GetCode(1).ToArray());
        Assert.Equal(30, snap.GetId(2));
    }

    [Fact]
    public void PaddingBitsMustBeZero()
    {
        using var store = CodeStore.CreateInMemory(100);
        var ex = Assert.Throws<ArgumentException>(() => store.Append([0UL, 1UL << 40], 1));
        Assert.Equal("code", ex.ParamName);
    }
}
