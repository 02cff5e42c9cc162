using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace HammingIndex.MultiIndex;

/// <summary>
/// One table of a multi-index, read in place from a <see cref="TablesImage"/> (native memory or a
/// mapped tables file; one implementation for both): substring value -> the store positions of the
/// live codes that have it. A directory of 2^h + 1 offsets on the substring's high h bits; for the
/// direct layout (h = s) a directory bucket is one key; for the two-level layout (h &lt; s) a bucket's
/// entries are sorted by their low s - h bits, stored beside them (1, 2, 4 or 8 bytes), then by
/// position, and a lookup searches the bucket's low bits. Optionally each entry also holds a copy of
/// its code (<see cref="MultiIndexOptions.CodesInTables"/>).
/// </summary>
/// <remarks>
/// Slots, as the probes walk them: for a direct table the 2^s keys, each with its bucket; for a
/// two-level table the entries, each its own one-entry bucket (equal keys are adjacent). Every range
/// read from the directory is checked against the entry count before use (a corrupt file is refused
/// with <see cref="MultiIndexFileException"/>, never read past its sections); the sections are spans,
/// so no read leaves them. Immutable; thread-safe for readers.
/// </remarks>
internal sealed unsafe class MultiIndexHashTable
{
    private readonly TablesImage _image; // keeps the bytes alive while the table is reachable
    private readonly uint* _offsets;
    private readonly byte* _lows;
    private readonly uint* _positions;
    private readonly ulong* _codes;
    private readonly int _entries;
    private readonly int _lowBits;
    private readonly long _offsetsAt;
    private readonly int _codeWords;
    private readonly int _directorySize;

    public MultiIndexHashTable(TablesImage image, TableShape shape, long offsetsAt, long lowsAt, long positionsAt, long codesAt)
    {
        _image = image;
        Shape = shape;
        _offsets = (uint*)(image.Pointer + offsetsAt);
        _lows = image.Pointer + lowsAt;
        _positions = (uint*)(image.Pointer + positionsAt);
        _codes = (ulong*)(image.Pointer + codesAt);
        _entries = checked((int)shape.Entries);
        _lowBits = shape.LowBits;
        _offsetsAt = offsetsAt;
        _codeWords = shape.CodeWords;
        _directorySize = 1 << shape.DirectoryBits;
    }

    public TableShape Shape { get; }

    public int SubstringBits => Shape.SubstringBits;

    /// <summary>True for the direct layout (the directory is indexed by the whole key).</summary>
    public bool IsDirect => _lowBits == 0;

    /// <summary>Whether each entry holds a copy of its code.</summary>
    public bool HasCodes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _codeWords != 0;
    }

    /// <summary>Slots: 2^s for a direct table, the entries for a two-level one.</summary>
    public int SlotCount => IsDirect ? 1 << SubstringBits : _entries;

    /// <summary>Positions held (live codes at build time).</summary>
    public int PositionCount => _entries;

    /// <summary>Bytes of the table's sections.</summary>
    public long ByteSize => Shape.OffsetsBytes + Shape.LowsBytes + Shape.PositionsBytes + Shape.CodesBytes;

    /// <summary>The directory: bucket v is entries Offsets[v] .. Offsets[v + 1] - 1 (values unchecked: use <see cref="Lookup"/>/<see cref="Bucket"/> for ranges).</summary>
    internal ReadOnlySpan<uint> Offsets => new(_offsets, _directorySize + 1);

    internal ReadOnlySpan<uint> Positions
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(_positions, _entries);
    }

    /// <summary>The entries' codes, <c>words</c> ulongs each, in entry order (empty when not kept).</summary>
    internal ReadOnlySpan<ulong> Codes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => HasCodes ? new(_codes, _entries * _codeWords) : default;
    }

    /// <summary>The entries' low bits as bytes (two-level layout; empty for a direct table).</summary>
    internal ReadOnlySpan<byte> LowBytes => new(_lows, (int)Shape.LowsBytes);

    /// <summary>The entries whose substring equals <paramref name="key"/>: start (inclusive) and end (exclusive), equal when none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (int Start, int End) Lookup(ulong key) => IsDirect ? Range((int)key) : LookupTwoLevel(key);

    /// <summary><see cref="Lookup"/> in a two-level table: the directory bucket, then its run of equal low bits.</summary>
    private (int Start, int End) LookupTwoLevel(ulong key)
    {
        int bucket = (int)(key >> _lowBits);
        var (start, end) = Range(bucket);
        if (start == end) return (start, end);
        ulong low = key & ((1UL << _lowBits) - 1);
        return Shape.LowBytes switch
        {
            1 => Equal(new ReadOnlySpan<byte>(_lows, _entries), start, end, (byte)low),
            2 => Equal(new ReadOnlySpan<ushort>(_lows, _entries), start, end, (ushort)low),
            4 => Equal(new ReadOnlySpan<uint>(_lows, _entries), start, end, (uint)low),
            _ => Equal(new ReadOnlySpan<ulong>(_lows, _entries), start, end, low),
        };
    }

    /// <summary>The key of slot <paramref name="slot"/>.</summary>
    public ulong KeyAt(int slot)
    {
        if (IsDirect) return (ulong)slot;
        if ((uint)slot >= (uint)_entries) throw new ArgumentOutOfRangeException(nameof(slot));
        // The directory bucket holding entry `slot`: the last v with offsets[v] <= slot.
        ReadOnlySpan<uint> offsets = Offsets;
        int lo = 0, hi = offsets.Length - 2;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >>> 1;
            if (offsets[mid] <= (uint)slot) lo = mid;
            else hi = mid - 1;
        }
        return ((ulong)lo << _lowBits) | LowAt(slot);
    }

    /// <summary>The entries of slot <paramref name="slot"/>: start (inclusive) and end (exclusive).</summary>
    public (int Start, int End) Bucket(int slot) => IsDirect ? Range(slot) : (slot, slot + 1);

    private ulong LowAt(int entry) => Shape.LowBytes switch
    {
        1 => _lows[entry],
        2 => ((ushort*)_lows)[entry],
        4 => ((uint*)_lows)[entry],
        _ => ((ulong*)_lows)[entry],
    };

    /// <summary>Directory bucket <paramref name="bucket"/>'s entries, checked against the entry count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (int Start, int End) Range(int bucket)
    {
        if ((uint)bucket >= (uint)_directorySize) ThrowBucketOutOfRange(bucket);
        uint start = _offsets[bucket], end = _offsets[bucket + 1];
        if (start > end || end > (uint)_entries) ThrowCorrupt(bucket, start, end);
        return ((int)start, (int)end);
    }

    /// <summary>Within entries start..end-1 (sorted by low bits), the run equal to <paramref name="low"/>.</summary>
    private static (int Start, int End) Equal<T>(ReadOnlySpan<T> lows, int start, int end, T low) where T : unmanaged, IBinaryInteger<T>
    {
        int lo = start, hi = end;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (lows[mid] < low) lo = mid + 1;
            else hi = mid;
        }
        int first = lo;
        while (lo < end && lows[lo] == low) lo++;
        return (first, lo);
    }

    [DoesNotReturn]
    private void ThrowBucketOutOfRange(int bucket) =>
        throw new ArgumentOutOfRangeException(nameof(bucket), bucket, $"The directory has {_directorySize} buckets.");

    [DoesNotReturn]
    private void ThrowCorrupt(int bucket, uint start, uint end) =>
        throw new MultiIndexFileException(_image.Name, MultiIndexFileError.Corrupt,
            $"Corrupt multi-index file: directory bucket {bucket} spans entries {start}..{end}, outside the table's {_entries} entries.",
            offset: _offsetsAt + (long)bucket * sizeof(uint), expected: $"<= {_entries}", actual: $"{start}..{end}");
}
