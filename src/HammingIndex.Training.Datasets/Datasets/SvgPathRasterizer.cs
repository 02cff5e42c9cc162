using SkiaSharp;

namespace HammingIndex.Training.Datasets;

/// <summary>
/// Rasterizes SVG path data (the <c>d</c> attribute) drawn in a square view box into grey
/// pixels with SkiaSharp: anti-aliased, non-zero fill, 0 = empty, 1 = fully covered.
/// </summary>
public sealed class SvgPathRasterizer : IDisposable
{
    private readonly SKBitmap _bitmap;
    private readonly SKCanvas _canvas;
    private readonly SKPaint _paint;
    private readonly float _scale;

    /// <summary>Creates a rasterizer of <paramref name="viewBox"/>-unit paths into <paramref name="size"/> x <paramref name="size"/> pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public SvgPathRasterizer(int size, float viewBox = 24)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(viewBox);
        Size = size;
        _scale = size / viewBox;
        _bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Alpha8, SKAlphaType.Premul));
        _canvas = new SKCanvas(_bitmap);
        _paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill, Color = SKColors.Black };
    }

    /// <summary>Side of the output square in pixels.</summary>
    public int Size { get; }

    /// <summary>
    /// Draws <paramref name="pathData"/> and writes Size x Size coverage values (row-major, top row
    /// first) to <paramref name="pixels"/>.
    /// </summary>
    /// <exception cref="FormatException">SkiaSharp cannot parse the path data.</exception>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> is not Size x Size long.</exception>
    public void Rasterize(string pathData, Span<double> pixels)
    {
        ArgumentNullException.ThrowIfNull(pathData);
        if (pixels.Length != Size * Size)
            throw new ArgumentException($"{pixels.Length} pixels given, {Size * Size} needed.", nameof(pixels));
        using SKPath path = SKPath.ParseSvgPathData(pathData)
            ?? throw new FormatException($"SkiaSharp could not parse the SVG path data \"{Shorten(pathData)}\".");
        _canvas.Clear(SKColors.Transparent);
        _canvas.ResetMatrix();
        _canvas.Scale(_scale);
        _canvas.DrawPath(path, _paint);
        _canvas.Flush();
        ReadOnlySpan<byte> alpha = _bitmap.GetPixelSpan();
        int rowBytes = _bitmap.RowBytes;
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
                pixels[y * Size + x] = alpha[y * rowBytes + x] / 255.0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _paint.Dispose();
        _canvas.Dispose();
        _bitmap.Dispose();
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "...";
}
