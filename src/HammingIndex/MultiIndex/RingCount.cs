using System.Numerics;
using System.Runtime.Intrinsics.X86;

namespace HammingIndex.MultiIndex;

/// <summary>
/// Counts, before any bucket entry is read, the work of probing one table for every key at distance
/// minDistance..maxDistance from the query's substring: the keys (from binomial coefficients) and the
/// bucket entries they hold (from the table's offsets alone). Exact when there are at most
/// <see cref="ExactKeys"/> keys (the offsets the probe will load anyway); beyond that, estimated from
/// <see cref="SampleKeys"/> keys drawn uniformly from the ring (random masks of the right popcount),
/// so a ring of a million keys costs a hundred loads to price. When the probe would walk the table's
/// slots instead of enumerating masks, the walk is priced by the slots and the entries are counted
/// over the slots (sampled past <see cref="ExactSlots"/>).
/// </summary>
internal static class RingCount
{
    /// <summary>Rings with at most this many keys are counted exactly.</summary>
    public const int ExactKeys = 512;

    /// <summary>Keys drawn to estimate a larger ring.</summary>
    public const int SampleKeys = 128;

    /// <summary>Tables walked slot by slot are counted exactly up to this many slots, sampled by stride beyond.</summary>
    public const int ExactSlots = 1 << 16;

    /// <summary>The work of one ring.</summary>
    /// <param name="Keys">Keys probed (or slots walked when <paramref name="Walks"/>).</param>
    /// <param name="Entries">Bucket entries the probe will visit (counted or estimated).</param>
    /// <param name="Walks">Whether the probe walks the table's slots rather than enumerating masks.</param>
    /// <param name="Exact">Whether <paramref name="Entries"/> was counted rather than sampled.</param>
    public readonly record struct Estimate(double Keys, double Entries, bool Walks, bool Exact)
    {
        public static Estimate operator +(Estimate a, Estimate b) =>
            new(a.Keys + b.Keys, a.Entries + b.Entries, a.Walks || b.Walks, a.Exact && b.Exact);

        public static Estimate Zero => new(0, 0, false, true);
    }

    /// <summary>The number of s-bit keys at distance <paramref name="minDistance"/>..<paramref name="maxDistance"/> (saturating).</summary>
    public static double Masks(int s, int minDistance, int maxDistance)
    {
        double masks = 0;
        for (int d = minDistance; d <= Math.Min(maxDistance, s); d++) masks += BitCombinations.Count(s, d);
        return masks;
    }

    /// <summary>
    /// Counts (or estimates) the ring of <paramref name="table"/> around <paramref name="querySubstring"/>;
    /// <paramref name="exactKeys"/> overrides <see cref="ExactKeys"/> (the fit counts every ring exactly).
    /// </summary>
    public static Estimate Count(MultiIndexHashTable table, ulong querySubstring, int minDistance, int maxDistance, int exactKeys = ExactKeys)
    {
        int s = table.SubstringBits;
        maxDistance = Math.Min(maxDistance, s);
        if (minDistance > maxDistance) return Estimate.Zero;
        double masks = Masks(s, minDistance, maxDistance);
        if (masks > table.SlotCount) return Walk(table, querySubstring, minDistance, maxDistance);
        if (masks <= exactKeys) return new Estimate(masks, Enumerate(table, querySubstring, minDistance, maxDistance), false, true);
        return new Estimate(masks, Sample(table, querySubstring, minDistance, maxDistance, masks), false, false);
    }

    /// <summary>How many offsets <see cref="Count"/> reads to count the ring at exactly <paramref name="distance"/>.</summary>
    public static double Lookups(MultiIndexHashTable table, int distance)
    {
        int s = table.SubstringBits;
        if (distance > s) return 0;
        double masks = BitCombinations.Count(s, distance);
        int slots = table.SlotCount;
        if (masks > slots) return slots <= ExactSlots ? slots : slots / (slots / (ExactSlots / 16));
        return masks <= ExactKeys ? masks : SampleKeys;
    }

    /// <summary>Rings of at most this many keys are prefetched by <see cref="Prefetch"/>.</summary>
    public const int PrefetchKeys = 64;

    /// <summary>
    /// Starts loading the offsets of the ring at exactly <paramref name="distance"/> (a direct table's ring of at
    /// most <see cref="PrefetchKeys"/> keys; otherwise nothing), so that counting several rings overlaps their misses.
    /// </summary>
    public static unsafe void Prefetch(MultiIndexHashTable table, ulong querySubstring, int distance)
    {
        int s = table.SubstringBits;
        if (!Sse.IsSupported || !table.IsDirect || distance > s || BitCombinations.Count(s, distance) > PrefetchKeys) return;
        fixed (uint* offsets = table.Offsets)
        {
            foreach (ulong mask in BitCombinations.WithBits(s, distance)) Sse.Prefetch0(offsets + (querySubstring ^ mask));
        }
    }

    /// <summary>Keys whose offsets are prefetched together (as the probe does, <see cref="TableProbe"/>).</summary>
    private const int Chunk = 32;

    private static long Enumerate(MultiIndexHashTable table, ulong querySubstring, int minDistance, int maxDistance)
    {
        // A count usually runs on offsets the scan has evicted: loads taken a chunk at a time, prefetched
        // first, overlap their misses (the probe that follows then finds them cached).
        Span<ulong> keys = stackalloc ulong[Chunk];
        int queued = 0;
        long entries = 0;
        for (int d = minDistance; d <= maxDistance; d++)
        {
            foreach (ulong mask in BitCombinations.WithBits(table.SubstringBits, d))
            {
                keys[queued++] = querySubstring ^ mask;
                if (queued < Chunk) continue;
                entries += Entries(table, keys);
                queued = 0;
            }
        }
        return entries + Entries(table, keys[..queued]);
    }

    /// <summary>The bucket entries of <paramref name="keys"/>, their offsets prefetched first.</summary>
    private static unsafe long Entries(MultiIndexHashTable table, scoped ReadOnlySpan<ulong> keys)
    {
        bool direct = table.IsDirect;
        ReadOnlySpan<uint> offsets = table.Offsets;
        if (direct && Sse.IsSupported)
        {
            fixed (uint* o = offsets)
            {
                foreach (ulong key in keys) Sse.Prefetch0(o + key);
            }
        }
        long entries = 0;
        foreach (ulong key in keys)
        {
            if (direct) entries += offsets[(int)key + 1] - offsets[(int)key];
            else
            {
                var (start, end) = table.Lookup(key);
                entries += end - start;
            }
        }
        return entries;
    }

    private static double Sample(MultiIndexHashTable table, ulong querySubstring, int minDistance, int maxDistance, double masks)
    {
        int s = table.SubstringBits;
        // Deterministic per query and ring, so a query's decision does not vary between runs.
        ulong state = (querySubstring * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)s << 40) ^ ((ulong)(uint)minDistance << 20) ^ (uint)maxDistance ^ 0xD1B54A32D192ED03UL | 1; // never 0
        Span<ulong> keys = stackalloc ulong[SampleKeys];
        for (int i = 0; i < SampleKeys; i++)
        {
            // The popcount in proportion to its share of the ring, then that many distinct bits.
            double u = (Next(ref state) >> 11) * (1.0 / (1UL << 53)) * masks;
            int d = minDistance;
            for (; d < maxDistance; d++)
            {
                u -= BitCombinations.Count(s, d);
                if (u < 0) break;
            }
            keys[i] = querySubstring ^ RandomMask(ref state, s, d);
        }
        return Entries(table, keys) * (masks / SampleKeys);
    }

    private static Estimate Walk(MultiIndexHashTable table, ulong querySubstring, int minDistance, int maxDistance)
    {
        int slots = table.SlotCount;
        int stride = slots <= ExactSlots ? 1 : slots / (ExactSlots / 16);
        long entries = 0;
        for (int slot = 0; slot < slots; slot += stride)
        {
            int d = BitOperations.PopCount(table.KeyAt(slot) ^ querySubstring);
            if (d < minDistance || d > maxDistance) continue;
            var (start, end) = table.Bucket(slot);
            entries += end - start;
        }
        return new Estimate(slots, stride == 1 ? entries : entries * (double)stride, true, stride == 1);
    }

    /// <summary>A uniformly drawn s-bit mask with <paramref name="d"/> bits set.</summary>
    private static ulong RandomMask(ref ulong state, int s, int d)
    {
        bool invert = d > s / 2; // draw the fewer of the set and the clear bits
        int draw = invert ? s - d : d;
        ulong mask = 0;
        while (BitOperations.PopCount(mask) < draw) mask |= 1UL << (int)((Next(ref state) >> 32) * (ulong)s >> 32);
        if (!invert) return mask;
        ulong all = s == 64 ? ulong.MaxValue : (1UL << s) - 1;
        return all & ~mask;
    }

    /// <summary>xorshift64*.</summary>
    private static ulong Next(ref ulong state)
    {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return state * 0x2545F4914F6CDD1DUL;
    }
}
