using System.Runtime.Intrinsics.X86;
using HammingIndex.Storage;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Bulk-builds the table of one substring over store positions 0..count-1 (deleted codes left out):
/// direct CSR in two passes (count, then fill), or sorted keys for long substrings; then, if asked,
/// a copy of each entry's code gathered from the store.
/// </summary>
internal static class MultiIndexTableBuilder
{
    /// <summary>Whether a substring of <paramref name="bits"/> bits over ~<paramref name="codeCount"/> codes gets a direct table.</summary>
    public static bool UseDirect(int bits, long codeCount) =>
        bits <= MultiIndexHashTable.MaxDirectBits && (1L << bits) <= 4 * codeCount + 4096;

    /// <summary>The table of substring <paramref name="j"/>; <paramref name="cancellationToken"/> is checked between store blocks.</summary>
    public static MultiIndexHashTable Build(StoreMemory memory, long count, SubstringSplit split, int j, bool codesInTables, CancellationToken cancellationToken = default)
    {
        if (count > uint.MaxValue - 1)
            ThrowHelper.InvalidOperation($"A multi-index holds at most {uint.MaxValue - 1} positions; the store has {count}.");
        int s = split.Length(j);
        MultiIndexHashTable table = UseDirect(s, count) ? BuildDirect(memory, (int)count, split, j, cancellationToken) : BuildSorted(memory, (int)count, split, j, cancellationToken);
        return codesInTables && CanHoldCodes(table.PositionCount, memory.Layout.WordsPerCode) ? table.WithCodes(GatherCodes(memory, table.Positions)) : table;
    }

    /// <summary>Whether one array can hold the codes of <paramref name="entries"/> entries (else the table keeps positions only).</summary>
    public static bool CanHoldCodes(int entries, int wordsPerCode) => (long)entries * wordsPerCode <= Array.MaxLength;

    /// <summary>The codes at <paramref name="positions"/>, in that order: random reads of the store, prefetched ahead.</summary>
    public static unsafe ulong[] GatherCodes(StoreMemory memory, uint[] positions)
    {
        int words = memory.Layout.WordsPerCode;
        var codes = GC.AllocateUninitializedArray<ulong>(positions.Length * words);
        const int Ahead = 16;
        int mask = memory.BlockCapacity - 1, shift = memory.BlockCapacityLog2;
        for (int i = 0; i < positions.Length; i++)
        {
            if (Sse.IsSupported && i + Ahead < positions.Length)
            {
                uint ahead = positions[i + Ahead];
                Sse.Prefetch0(memory.CodePointer((int)(ahead >> shift)) + (long)(ahead & mask) * words);
            }
            memory.Code(positions[i]).CopyTo(codes.AsSpan(i * words, words));
        }
        return codes;
    }

    private static unsafe MultiIndexHashTable BuildDirect(StoreMemory memory, int count, SubstringSplit split, int j, CancellationToken cancellationToken)
    {
        int s = split.Length(j);
        int slots = 1 << s;
        var offsets = new uint[slots + 1];
        var keys = new uint[count];
        const uint Deleted = uint.MaxValue;
        int live = 0;
        ForEachCode(memory, count, (position, code, deleted) =>
        {
            if (deleted) { keys[position] = Deleted; return; }
            keys[position] = (uint)split.Extract(code, j);
            live++;
        }, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        // The counting and filling passes touch offsets (and positions) at random: on tables larger
        // than the caches, prefetching a few dozen codes ahead overlaps those misses.
        const int Ahead = 32;
        bool prefetch = Sse.IsSupported && slots >= 1 << 16;
        fixed (uint* o = offsets)
        {
            for (int p = 0; p < count; p++)
            {
                if (prefetch && p + Ahead < count && keys[p + Ahead] != Deleted) Sse.Prefetch0(o + keys[p + Ahead] + 1);
                uint key = keys[p];
                if (key != Deleted) o[key + 1]++;
            }
        }
        for (int i = 1; i <= slots; i++) offsets[i] += offsets[i - 1];
        var positions = new uint[live];
        fixed (uint* o = offsets)
        fixed (uint* out_ = positions)
        {
            for (int p = 0; p < count; p++)
            {
                if (prefetch && p + Ahead < count)
                {
                    uint ahead = keys[p + Ahead];
                    if (ahead != Deleted)
                    {
                        Sse.Prefetch0(o + ahead);
                        uint half = keys[p + Ahead / 2];
                        if (half != Deleted && o[half] < (uint)live) Sse.Prefetch0(out_ + o[half]);
                    }
                }
                uint key = keys[p];
                if (key != Deleted) out_[o[key]++] = (uint)p;
            }
        }
        // Each offsets[v] now holds the end of bucket v: shift back by one slot.
        for (int i = slots - 1; i > 0; i--) offsets[i] = offsets[i - 1];
        offsets[0] = 0;
        return new MultiIndexHashTable(s, offsets, positions, null);
    }

    private static MultiIndexHashTable BuildSorted(StoreMemory memory, int count, SubstringSplit split, int j, CancellationToken cancellationToken)
    {
        int s = split.Length(j);
        var keys = new ulong[count];
        var positions = new uint[count];
        int live = 0;
        ForEachCode(memory, count, (position, code, deleted) =>
        {
            if (deleted) return;
            keys[live] = split.Extract(code, j);
            positions[live++] = (uint)position;
        }, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        Array.Resize(ref keys, live);
        Array.Resize(ref positions, live);
        Array.Sort(keys, positions);
        int distinct = 0;
        for (int i = 0; i < live; i++) if (i == 0 || keys[i] != keys[i - 1]) distinct++;
        var slotKeys = new ulong[distinct];
        var offsets = new uint[distinct + 1];
        int slot = -1;
        for (int i = 0; i < live; i++)
        {
            if (i == 0 || keys[i] != keys[i - 1]) { slot++; slotKeys[slot] = keys[i]; offsets[slot] = (uint)i; }
        }
        offsets[distinct] = (uint)live;
        for (int d = 0; d < distinct; d++) Array.Sort(positions, (int)offsets[d], (int)(offsets[d + 1] - offsets[d]));
        return new MultiIndexHashTable(s, offsets, positions, slotKeys);
    }

    private delegate void CodeAction(int position, ReadOnlySpan<ulong> code, bool deleted);

    private static void ForEachCode(StoreMemory memory, int count, CodeAction action, CancellationToken cancellationToken)
    {
        int words = memory.Layout.WordsPerCode;
        int capacity = memory.BlockCapacity;
        for (int b = 0, first = 0; first < count; b++, first += capacity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(capacity, count - first);
            ReadOnlySpan<ulong> codes = memory.BlockCodes(b, n);
            ReadOnlySpan<ulong> dead = memory.BlockTombstones(b);
            for (int i = 0; i < n; i++)
            {
                bool deleted = !dead.IsEmpty && (dead[i >> 6] & (1UL << i)) != 0;
                action(first + i, codes.Slice(i * words, words), deleted);
            }
        }
    }
}
