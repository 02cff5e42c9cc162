namespace HammingIndex;

/// <summary>
/// A fixed number of 64-bit cells that different cores write, each on 128 bytes of its own (two cache
/// lines: an adjacent-line prefetch pair) and none on the array header's line, so a write to one never
/// takes a line another core is using. Cell i is <c>this[i]</c>, a reference for
/// <see cref="Interlocked"/> and <see cref="Volatile"/>.
/// </summary>
internal readonly struct PaddedCells
{
    /// <summary>Longs from one cell to the next: 128 bytes.</summary>
    private const int Stride = 16;
    private readonly long[] _cells;

    /// <summary><paramref name="count"/> cells, all zero.</summary>
    public PaddedCells(int count) => _cells = new long[(count + 1) * Stride]; // cell i at (i + 1) * Stride

    public ref long this[int i] => ref _cells[(i + 1) * Stride];
}
