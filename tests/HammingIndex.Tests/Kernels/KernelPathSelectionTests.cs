using System.Runtime.Intrinsics.X86;
using HammingIndex.Kernels;

namespace HammingIndex.Tests.Kernels;

/// <summary>Which path runs: detection, Auto, the HAMMINGINDEX_KERNEL setting, and unsupported paths.</summary>
public class KernelPathSelectionTests
{
    [Fact]
    public void SupportDetectionFollowsTheCpuFeatures()
    {
        Assert.True(HammingKernels.IsSupported(KernelPath.Scalar));
        Assert.Equal(System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated, HammingKernels.IsSupported(KernelPath.Vector128));
        Assert.Equal(Avx2.IsSupported, HammingKernels.IsSupported(KernelPath.Avx2));
        Assert.Equal(Avx512F.IsSupported && Avx512BW.IsSupported, HammingKernels.IsSupported(KernelPath.Avx512));
        Assert.False(HammingKernels.IsSupported((KernelPath)7));
        KernelPath expectedBest = HammingKernels.IsSupported(KernelPath.Avx512) ? KernelPath.Avx512
            : HammingKernels.IsSupported(KernelPath.Avx2) ? KernelPath.Avx2
            : HammingKernels.IsSupported(KernelPath.Vector128) ? KernelPath.Vector128 : KernelPath.Scalar;
        Assert.Equal(expectedBest, HammingKernels.BestSupportedPath);
        // Narrowest first: the order of vector width, not of the enum values.
        Assert.Equal(
            new[] { KernelPath.Scalar, KernelPath.Vector128, KernelPath.Avx2, KernelPath.Avx512 }.Where(HammingKernels.IsSupported),
            HammingKernels.SupportedPaths);
    }

    [Theory]
    [InlineData(null, KernelPath.Auto)]
    [InlineData("", KernelPath.Auto)]
    [InlineData(" Auto ", KernelPath.Auto)]
    [InlineData("scalar", KernelPath.Scalar)]
    [InlineData("Vector128", KernelPath.Vector128)]
    [InlineData("AVX2", KernelPath.Avx2)]
    [InlineData("avx512", KernelPath.Avx512)]
    public void TheEnvironmentSettingNamesAPath(string? setting, KernelPath expected) =>
        Assert.Equal(expected, HammingKernels.ParsePathSetting(setting));

    [Fact]
    public void AnUnknownSettingIsRefusedNamingTheVariableAndValue()
    {
        var ex = Assert.Throws<FormatException>(() => HammingKernels.DefaultPathFor("sse9"));
        Assert.Contains("HAMMINGINDEX_KERNEL", ex.Message);
        Assert.Contains("sse9", ex.Message);
    }

    [Theory]
    [InlineData("scalar", KernelPath.Scalar)]
    [InlineData("vector128", KernelPath.Vector128)]
    [InlineData("avx2", KernelPath.Avx2)]
    [InlineData("avx512", KernelPath.Avx512)]
    public void AForcedPathIsTheDefaultIfTheCpuHasItAndRefusedByNameOtherwise(string setting, KernelPath path)
    {
        if (HammingKernels.IsSupported(path))
        {
            Assert.Equal(path, HammingKernels.DefaultPathFor(setting));
            Assert.Equal(path, HammingKernels.Resolve(path));
        }
        else
        {
            Assert.Contains(path.ToString(), Assert.Throws<NotSupportedException>(() => HammingKernels.DefaultPathFor(setting)).Message);
            Assert.Contains(path.ToString(), Assert.Throws<NotSupportedException>(() => HammingKernels.Resolve(path)).Message);
        }
    }

    [Fact]
    public void AutoRunsTheDefaultPathWhichFollowsTheEnvironment()
    {
        Assert.Equal(HammingKernels.BestSupportedPath, HammingKernels.DefaultPathFor(null));
        Assert.Equal(HammingKernels.DefaultPathFor(Environment.GetEnvironmentVariable(HammingKernels.PathEnvironmentVariable)), HammingKernels.DefaultPath);
        Assert.Equal(HammingKernels.DefaultPath, HammingKernels.Resolve(KernelPath.Auto));
    }
}
