using System.Runtime.Intrinsics.X86;
using HammingIndex.MultiIndex;
using HammingIndex.Storage;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// The managed-array build of a direct table as it was before the mapped tables (format v2, commit
/// 5b8dd6f: keys of every position first, then a prefetched counting and a prefetched filling pass into
/// uint arrays), kept only so mapped-tables can time the new out-of-core build against it side by side.
/// </summary>
internal static class LegacyDirectBuild
{
    public static unsafe (uint[] Offsets, uint[] Positions) Build(StoreMemory memory, int count, SubstringSplit split, int j)
    {
        int s = split.Length(j), slots = 1 << s, words = memory.Layout.WordsPerCode, capacity = memory.BlockCapacity;
        var offsets = new uint[slots + 1];
        var keys = new uint[count];
        const uint Deleted = uint.MaxValue;
        int live = 0;
        for (int b = 0, first = 0; first < count; b++, first += capacity)
        {
            int n = Math.Min(capacity, count - first);
            ReadOnlySpan<ulong> codes = memory.BlockCodes(b, n);
            ReadOnlySpan<ulong> dead = memory.BlockTombstones(b);
            for (int i = 0; i < n; i++)
            {
                if (!dead.IsEmpty && (dead[i >> 6] & (1UL << i)) != 0) { keys[first + i] = Deleted; continue; }
                keys[first + i] = (uint)split.Extract(codes.Slice(i * words, words), j);
                live++;
            }
        }
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
        for (int i = slots - 1; i > 0; i--) offsets[i] = offsets[i - 1];
        offsets[0] = 0;
        return (offsets, positions);
    }
}
