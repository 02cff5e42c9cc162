namespace HammingIndex.MultiIndex;

/// <summary>
/// One table of a multi-index: substring value -> the store positions of the live codes that have
/// it, as compact arrays with no per-bucket objects. Two layouts:
/// direct-addressed CSR (<c>offsets[2^s + 1]</c>, bucket v = entries offsets[v] .. offsets[v+1])
/// for short substrings, and sorted distinct keys with binary search for long ones.
/// Optionally each entry also holds a copy of its code (<see cref="MultiIndexOptions.CodesInTables"/>),
/// so a bucket's candidates are verified by reading it sequentially instead of the store at random.
/// Immutable once built; thread-safe for readers.
/// </summary>
internal sealed class MultiIndexHashTable
{
    /// <summary>Longest substring that may use a direct-addressed table (2^26 + 1 offsets = 256 MiB).</summary>
    public const int MaxDirectBits = 26;

    private readonly uint[] _offsets;   // slot i's bucket is entries _offsets[i] .. _offsets[i + 1] - 1
    private readonly uint[] _positions; // ascending within a bucket
    private readonly ulong[]? _keys;    // sorted distinct keys (one per slot); null when direct
    private readonly ulong[]? _codes;   // entry i's code at [i * words, (i + 1) * words); null when not kept

    public MultiIndexHashTable(int substringBits, uint[] offsets, uint[] positions, ulong[]? keys, ulong[]? codes = null)
    {
        SubstringBits = substringBits;
        _offsets = offsets;
        _positions = positions;
        _keys = keys;
        _codes = codes;
    }

    public int SubstringBits { get; }

    /// <summary>True for the direct-addressed layout, false for sorted keys.</summary>
    public bool IsDirect => _keys is null;

    /// <summary>Whether each entry holds a copy of its code.</summary>
    public bool HasCodes => _codes is not null;

    /// <summary>Slots: 2^s for a direct table, the distinct keys for a sorted one.</summary>
    public int SlotCount => _offsets.Length - 1;

    /// <summary>Positions held (live codes at build time).</summary>
    public int PositionCount => _positions.Length;

    /// <summary>Bytes of the arrays.</summary>
    public long ByteSize => (long)_offsets.Length * sizeof(uint) + (long)_positions.Length * sizeof(uint)
        + (_keys?.LongLength ?? 0) * sizeof(ulong) + (_codes?.LongLength ?? 0) * sizeof(ulong);

    internal uint[] Offsets => _offsets;

    internal uint[] Positions => _positions;

    internal ulong[]? Keys => _keys;

    /// <summary>The entries' codes, <c>words</c> ulongs each, in entry order (null when not kept).</summary>
    internal ulong[]? Codes => _codes;

    /// <summary>The same table with a copy of each entry's code (see <see cref="MultiIndexTableBuilder.GatherCodes"/>).</summary>
    public MultiIndexHashTable WithCodes(ulong[] codes) => new(SubstringBits, _offsets, _positions, _keys, codes);

    /// <summary>The entries whose substring equals <paramref name="key"/>: start (inclusive) and end (exclusive), equal when none.</summary>
    public (int Start, int End) Lookup(ulong key)
    {
        if (_keys is null) return ((int)_offsets[(int)key], (int)_offsets[(int)key + 1]);
        int slot = Array.BinarySearch(_keys, key);
        return slot < 0 ? default : Bucket(slot);
    }

    /// <summary>The key of slot <paramref name="slot"/>.</summary>
    public ulong KeyAt(int slot) => _keys is null ? (ulong)slot : _keys[slot];

    /// <summary>The entries of slot <paramref name="slot"/>: start (inclusive) and end (exclusive).</summary>
    public (int Start, int End) Bucket(int slot) => ((int)_offsets[slot], (int)_offsets[slot + 1]);
}
