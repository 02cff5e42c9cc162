using HammingIndex.Training.Datasets;

namespace HammingIndex.Training.Tests.Datasets;

public sealed class SvgPathRasterizerTests
{
    [Fact]
    public void FillsExactlyTheCoveredPixels()
    {
        using var r = new SvgPathRasterizer(32);
        var pixels = new double[32 * 32];
        // Left half of the 24-unit view box = columns 0..15 of 32.
        r.Rasterize("M0,0H12V24H0Z", pixels);
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
                Assert.Equal(x < 16 ? 1.0 : 0.0, pixels[y * 32 + x]);
        // The rasterizer is reused: a second path replaces the first. A right triangle covers half the area.
        r.Rasterize("M0,0L24,0L0,24Z", pixels);
        Assert.InRange(pixels.Sum(), 512 - 8, 512 + 8);
        Assert.Equal(1.0, pixels[0]);
        Assert.Equal(0.0, pixels[32 * 32 - 1]);
    }

    [Fact]
    public void NonZeroFillLeavesNoHoleForSameDirectionSubpaths()
    {
        using var r = new SvgPathRasterizer(24);
        var pixels = new double[24 * 24];
        // Outer square clockwise, inner square clockwise: non-zero fill covers the inner one too.
        r.Rasterize("M0,0H24V24H0Z M6,6H18V18H6Z", pixels);
        Assert.Equal(1.0, pixels[12 * 24 + 12]);
        // Inner square counter-clockwise: a hole.
        r.Rasterize("M0,0H24V24H0Z M6,6V18H18V6Z", pixels);
        Assert.Equal(0.0, pixels[12 * 24 + 12]);
        Assert.Equal(24 * 24 - 12 * 12, pixels.Sum(), 6);
    }

    [Fact]
    public void RefusesBadInput()
    {
        using var r = new SvgPathRasterizer(8);
        Assert.Throws<FormatException>(() => r.Rasterize("M0,0 Q not a path", new double[64]));
        Assert.Contains("63 pixels given, 64 needed", Assert.Throws<ArgumentException>(() => r.Rasterize("M0,0H1V1Z", new double[63])).Message);
    }
}
