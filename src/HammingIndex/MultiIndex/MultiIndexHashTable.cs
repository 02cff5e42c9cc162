namespace HammingIndex.MultiIndex;

/// <summary>
/// One table of a multi-index: substring value -> the store positions of the live codes that have
/// it, as compact arrays with no per-bucket objects. Two layouts:
/// direct-addressed CSR (<c>offsets[2^s + 1]</c>, bucket v = positions[offsets[v] .. offsets[v+1]))
/// for short substrings, and sorted distinct keys with binary search for long ones.
/// Immutable once built; thread-safe for readers.
/// </summary>
internal sealed class MultiIndexHashTable
{
    /// <summary>Longest substring that may use a direct-addressed table (2^26 + 1 offsets = 256 MiB).</summary>
    public const int MaxDirectBits = 26;

    private readonly uint[] _offsets;   // slot i's bucket is _positions[_offsets[i] .. _offsets[i + 1])
    private readonly uint[] _positions; // ascending within a bucket
    private readonly ulong[]? _keys;    // sorted distinct keys (one per slot); null when direct

    public MultiIndexHashTable(int substringBits, uint[] offsets, uint[] positions, ulong[]? keys)
    {
        SubstringBits = substringBits;
        _offsets = offsets;
        _positions = positions;
        _keys = keys;
    }

    public int SubstringBits { get; }

    /// <summary>True for the direct-addressed layout, false for sorted keys.</summary>
    public bool IsDirect => _keys is null;

    /// <summary>Slots: 2^s for a direct table, the distinct keys for a sorted one.</summary>
    public int SlotCount => _offsets.Length - 1;

    /// <summary>Positions held (live codes at build time).</summary>
    public int PositionCount => _positions.Length;

    /// <summary>Bytes of the arrays.</summary>
    public long ByteSize => (long)_offsets.Length * sizeof(uint) + (long)_positions.Length * sizeof(uint) + (_keys?.LongLength ?? 0) * sizeof(ulong);

    internal uint[] Offsets => _offsets;

    internal uint[] Positions => _positions;

    internal ulong[]? Keys => _keys;

    /// <summary>The positions whose substring equals <paramref name="key"/> (empty when none).</summary>
    public ReadOnlySpan<uint> Lookup(ulong key)
    {
        if (_keys is null)
        {
            uint lo = _offsets[(int)key], hi = _offsets[(int)key + 1];
            return _positions.AsSpan((int)lo, (int)(hi - lo));
        }
        int slot = Array.BinarySearch(_keys, key);
        return slot < 0 ? default : Bucket(slot);
    }

    /// <summary>The key of slot <paramref name="slot"/>.</summary>
    public ulong KeyAt(int slot) => _keys is null ? (ulong)slot : _keys[slot];

    /// <summary>The positions of slot <paramref name="slot"/>.</summary>
    public ReadOnlySpan<uint> Bucket(int slot)
    {
        uint lo = _offsets[slot], hi = _offsets[slot + 1];
        return _positions.AsSpan((int)lo, (int)(hi - lo));
    }
}
