using HammingIndex.Kernels;

namespace HammingIndex.Tests.Kernels;

/// <summary>Wrong lengths and paths are refused with an exception naming the parameter.</summary>
public class KernelArgumentTests
{
    public static TheoryData<KernelPath> Paths => new(KernelReference.PathsToTest);

    [Theory]
    [MemberData(nameof(Paths))]
    public void DistancesNamesTheParameterWhoseLengthIsWrong(KernelPath path)
    {
        var empty = Assert.Throws<ArgumentException>(() => HammingKernels.Distances([], new ulong[4], new int[4], path));
        Assert.Equal("query", empty.ParamName);
        // 5 ulongs are not 2 codes of 2 words, nor 3.
        var codes = Assert.Throws<ArgumentException>(() => HammingKernels.Distances(new ulong[2], new ulong[5], new int[2], path));
        Assert.Equal("codes", codes.ParamName);
        Assert.Contains("5", codes.Message);
        var tooFewDistances = Assert.Throws<ArgumentException>(() => HammingKernels.Distances(new ulong[2], new ulong[6], new int[2], path));
        Assert.Equal("codes", tooFewDistances.ParamName);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void CollectWithinNamesTheParameterWhoseLengthIsWrong(KernelPath path)
    {
        var empty = Assert.Throws<ArgumentException>(() => HammingKernels.CollectWithin([], new ulong[4], 3, new int[4], new int[4], path));
        Assert.Equal("query", empty.ParamName);
        var partial = Assert.Throws<ArgumentException>(() => HammingKernels.CollectWithin(new ulong[4], new ulong[10], 3, new int[4], new int[4], path));
        Assert.Equal("codes", partial.ParamName);
        var indices = Assert.Throws<ArgumentException>(() => HammingKernels.CollectWithin(new ulong[1], new ulong[9], 3, new int[8], new int[9], path));
        Assert.Equal("indices", indices.ParamName);
        Assert.Contains("9", indices.Message);
        var distances = Assert.Throws<ArgumentException>(() => HammingKernels.CollectWithin(new ulong[1], new ulong[9], 3, new int[9], new int[8], path));
        Assert.Equal("distances", distances.ParamName);
    }

    [Fact]
    public void DistanceNamesTheSecondCodeWhenLengthsDiffer()
    {
        var ex = Assert.Throws<ArgumentException>(() => HammingKernels.Distance(new ulong[2], new ulong[3]));
        Assert.Equal("b", ex.ParamName);
    }

    [Fact]
    public void AnUndefinedPathIsRefusedByName()
    {
        var resolve = Assert.Throws<ArgumentOutOfRangeException>(() => HammingKernels.Resolve((KernelPath)7));
        Assert.Equal("path", resolve.ParamName);
        var call = Assert.Throws<ArgumentOutOfRangeException>(() => HammingKernels.Distances(new ulong[1], new ulong[1], new int[1], (KernelPath)7));
        Assert.Equal("path", call.ParamName);
    }
}
