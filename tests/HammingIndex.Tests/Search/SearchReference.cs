using System.Numerics;
using HammingIndex.Kernels;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Search;

/// <summary>Plain reference searches (LINQ over every live code) and random stores to compare against.</summary>
internal static class SearchReference
{
    public static int Distance(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        int d = 0;
        for (int i = 0; i < a.Length; i++) d += BitOperations.PopCount(a[i] ^ b[i]);
        return d;
    }

    /// <summary>Every live code of the store with its distance to the query.</summary>
    public static List<Neighbor> All(CodeStore store, ulong[] query)
    {
        using CodeStoreSnapshot snap = store.AcquireSnapshot();
        var all = new List<Neighbor>();
        for (long p = 0; p < snap.Count; p++)
            if (!snap.IsDeleted(p)) all.Add(new Neighbor(snap.GetId(p), Distance(query, snap.GetCode(p))));
        return all;
    }

    public static Neighbor[] TopK(CodeStore store, ulong[] query, int k) =>
        All(store, query).OrderBy(n => n.Distance).ThenBy(n => n.Id).Take(k).ToArray();

    public static Neighbor[] WithinRadius(CodeStore store, ulong[] query, int radius) =>
        All(store, query).Where(n => n.Distance <= radius).OrderBy(n => n.Distance).ThenBy(n => n.Id).ToArray();

    /// <summary>Every kernel path this CPU can run, Auto included.</summary>
    public static KernelPath[] SupportedPaths() => [KernelPath.Auto, .. HammingKernels.SupportedPaths];

    /// <summary>A random code of <paramref name="bits"/> bits with zero padding.</summary>
    public static ulong[] RandomCode(Random rng, int bits)
    {
        var code = new ulong[(bits + 63) / 64];
        for (int i = 0; i < code.Length; i++) code[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 33);
        if (bits % 64 != 0) code[^1] &= (1UL << (bits % 64)) - 1;
        return code;
    }

    /// <summary>
    /// A store of <paramref name="count"/> random codes drawn from <paramref name="distinct"/> distinct
    /// ones (few distinct = many duplicates), ids drawn from 0..2*count (so some repeat), and about
    /// <paramref name="deletePercent"/>% of the ids deleted.
    /// </summary>
    public static CodeStore RandomStore(int seed, int bits, int count, int distinct, int deletePercent, Func<int, CodeStore>? create = null)
    {
        var rng = new Random(seed);
        var pool = Enumerable.Range(0, Math.Max(1, distinct)).Select(_ => RandomCode(rng, bits)).ToArray();
        CodeStore store = create?.Invoke(bits) ?? CodeStore.CreateInMemory(bits);
        var ids = new long[count];
        var codes = new List<ulong>();
        for (int i = 0; i < count; i++)
        {
            ids[i] = rng.NextInt64(0, 2L * count + 1);
            codes.AddRange(pool[rng.Next(pool.Length)]);
        }
        // Two appends, to cover both paths of the store.
        int half = count / 2, words = (bits + 63) / 64;
        store.AppendRange(codes.ToArray().AsSpan(0, half * words), ids.AsSpan(0, half));
        for (int i = half; i < count; i++) store.Append(codes.ToArray().AsSpan(i * words, words), ids[i]);
        foreach (long id in ids)
            if (rng.Next(100) < deletePercent) store.TryDelete(id);
        return store;
    }

    /// <summary>A query near a stored code (or random), so that small distances occur.</summary>
    public static ulong[] Query(CodeStore store, Random rng)
    {
        ulong[] query;
        using (CodeStoreSnapshot snap = store.AcquireSnapshot())
            query = snap.Count > 0 && rng.Next(3) > 0 ? snap.GetCode(rng.NextInt64(snap.Count)).ToArray() : RandomCode(rng, store.Bits);
        int flips = rng.Next(0, 4);
        for (int f = 0; f < flips; f++)
        {
            int bit = rng.Next(store.Bits);
            query[bit / 64] ^= 1UL << (bit % 64);
        }
        return query;
    }
}
