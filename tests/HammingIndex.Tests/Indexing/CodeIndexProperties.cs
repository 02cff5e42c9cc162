using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HammingIndex.Codes;
using HammingIndex.Indexing;
using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Tests.MultiIndex;
using HammingIndex.Tests.Storage;

namespace HammingIndex.Tests.Indexing;

/// <summary>
/// The index type equals a brute-force model under random interleavings of adds (single and batched),
/// deletes (single and batched), flushes, compactions, reopens and table rebuilds (explicit, and in the
/// background racing the other operations), for top-k and radius searches with k &gt; n, r = 0 and
/// r = bits, on empty indexes and odd code lengths, in memory and in a file, both table layouts.
/// </summary>
public class CodeIndexProperties
{
    public enum OpKind { Add, AddRange, AddDuplicate, Delete, DeleteRange, Flush, Compact, Reopen, RebuildInBackground, Rebuild }

    public sealed record Op(OpKind Kind, int Size, int Seed);

    public sealed record Case(int Bits, bool OnDisk, bool? CodesInTables, bool Clustered, Op[] Ops)
    {
        public override string ToString() =>
            $"{Bits} bits, {(OnDisk ? "file" : "memory")}, codes in tables {CodesInTables?.ToString() ?? "auto"}, {(Clustered ? "clustered" : "uniform")}: "
            + string.Join(", ", Ops.Select(o => $"{o.Kind}({o.Size})"));
    }

    private static readonly Gen<Op> OpGen =
        from kind in Gen.Frequency(
            (6, Gen.Constant(OpKind.AddRange)), (3, Gen.Constant(OpKind.Add)), (1, Gen.Constant(OpKind.AddDuplicate)),
            (3, Gen.Constant(OpKind.Delete)), (2, Gen.Constant(OpKind.DeleteRange)), (1, Gen.Constant(OpKind.Flush)),
            (1, Gen.Constant(OpKind.Compact)), (1, Gen.Constant(OpKind.Reopen)), (2, Gen.Constant(OpKind.RebuildInBackground)),
            (1, Gen.Constant(OpKind.Rebuild)))
        from size in Gen.Choose(1, 60)
        from seed in Gen.Choose(0, int.MaxValue)
        select new Op(kind, size, seed);

    public static Arbitrary<Case> Cases { get; } = Arb.From(
        from bits in Gen.Elements(8, 13, 64, 65, 127, 200)
        from onDisk in Gen.Elements(false, true)
        from codesInTables in Gen.Elements<bool?>(true, false, null)
        from clustered in Gen.Elements(false, true)
        from ops in Gen.ListOf(OpGen)
        select new Case(bits, onDisk, codesInTables, clustered, ops.Take(24).ToArray()));

    [Property(MaxTest = 60)]
    public Property IndexEqualsBruteForceUnderRandomInterleavings() => Prop.ForAll(Cases, c =>
    {
        using var directory = new TempDirectory();
        string path = directory.File("codes.hidx");
        var layout = new CodeLayout(c.Bits);
        var options = new CodeIndexOptions
        {
            Tables = new MultiIndexOptions { CodesInTables = c.CodesInTables },
            RebuildDelta = 5, // background rebuilds start often and race the operations
        };
        var model = new IndexModel();
        var pool = new List<ulong[]>(); // codes seen so far, so that queries and adds land near stored ones
        var rebuilds = new List<Task>();
        long nextId = 1;
        CodeIndex index = c.OnDisk ? CodeIndex.Create(path, c.Bits, options) : CodeIndex.CreateInMemory(c.Bits, options);
        try
        {
            Check(index, model, pool, layout, new Random(c.Bits));
            foreach (Op op in c.Ops)
            {
                var rng = new Random(op.Seed);
                switch (op.Kind)
                {
                    case OpKind.Add:
                    {
                        ulong[] code = NewCodes(rng, layout, 1, pool, c.Clustered);
                        long id = FreshOrDeletedId(rng, model, ref nextId);
                        index.Add(code, id);
                        model.Add(code, id);
                        break;
                    }
                    case OpKind.AddRange:
                    {
                        int n = op.Size;
                        ulong[] codes = NewCodes(rng, layout, n, pool, c.Clustered);
                        var ids = new long[n];
                        var used = new HashSet<long>();
                        for (int i = 0; i < n; i++)
                        {
                            do ids[i] = FreshOrDeletedId(rng, model, ref nextId); while (!used.Add(ids[i]));
                        }
                        index.AddRange(codes, ids);
                        for (int i = 0; i < n; i++) model.Add(codes.AsSpan(i * layout.WordsPerCode, layout.WordsPerCode), ids[i]);
                        break;
                    }
                    case OpKind.AddDuplicate:
                    {
                        if (model.Count == 0) break;
                        long live = model.Ids.ElementAt(rng.Next(model.Count));
                        ulong[] code = NewCodes(rng, layout, 1, pool, c.Clustered);
                        Assert.Equal("id", Assert.Throws<ArgumentException>(() => index.Add(code, live)).ParamName);
                        ulong[] two = NewCodes(rng, layout, 2, pool, c.Clustered);
                        Assert.Equal("ids", Assert.Throws<ArgumentException>(() => index.AddRange(two, [nextId, live])).ParamName);
                        Assert.Equal("ids", Assert.Throws<ArgumentException>(() => index.AddRange(two, [nextId, nextId])).ParamName);
                        Assert.False(index.Contains(nextId)); // all or none
                        break;
                    }
                    case OpKind.Delete:
                    {
                        long id = model.Count > 0 && rng.Next(4) > 0 ? model.Ids.ElementAt(rng.Next(model.Count)) : nextId + rng.Next(5);
                        Assert.Equal(model.Delete(id), index.Delete(id));
                        break;
                    }
                    case OpKind.DeleteRange:
                    {
                        long[] ids = Enumerable.Range(0, 1 + rng.Next(op.Size))
                            .Select(_ => model.Count > 0 && rng.Next(3) > 0 ? model.Ids.ElementAt(rng.Next(model.Count)) : nextId + rng.Next(5))
                            .ToArray();
                        long expected = ids.Distinct().Count(model.Delete);
                        Assert.Equal(expected, index.DeleteRange(ids));
                        break;
                    }
                    case OpKind.Flush:
                        index.Flush();
                        break;
                    case OpKind.Compact:
                        index.Compact();
                        Assert.Equal(model.Count, index.Store.Count); // no deleted position left
                        Assert.Equal(0, index.DeltaCount);
                        break;
                    case OpKind.Reopen:
                        if (!c.OnDisk) break;
                        index.Dispose();
                        index = CodeIndex.Open(path, options);
                        break;
                    case OpKind.RebuildInBackground:
                        rebuilds.Add(index.RebuildTablesAsync());
                        break;
                    case OpKind.Rebuild:
                        index.RebuildTables();
                        Assert.Equal(0, index.DeltaCount);
                        break;
                }
                Assert.Equal(model.Count, index.Count);
                Check(index, model, pool, layout, rng);
            }
            foreach (Task rebuild in rebuilds)
            {
                try
                {
                    rebuild.Wait();
                }
                catch (AggregateException e) when (e.InnerException is OperationCanceledException)
                {
                    // cancelled by a reopen's dispose: the tables it would have built were rebuilt or loaded instead
                }
            }
            Check(index, model, pool, layout, new Random(c.Ops.Length));
            if (c.OnDisk)
            {
                index.Dispose();
                index = CodeIndex.OpenReadOnly(path, options);
                Check(index, model, pool, layout, new Random(7));
            }
        }
        finally
        {
            index.Dispose();
        }
    }).Label("index = brute force");

    /// <summary>Every kind of search and lookup against the model: k = 1, small and &gt; n; r = 0, small, random and bits.</summary>
    private static void Check(CodeIndex index, IndexModel model, List<ulong[]> pool, CodeLayout layout, Random rng)
    {
        int words = layout.WordsPerCode;
        ulong[] queries = Enumerable.Range(0, 3).SelectMany(_ => Query(rng, layout, pool)).ToArray();
        int[] ks = [1, 1 + rng.Next(10), model.Count + 1 + rng.Next(3)];
        int[] radii = [0, rng.Next(4), rng.Next(layout.Bits + 1), layout.Bits];
        var buffer = new Neighbor[ks.Max()];
        var list = new List<Neighbor>();
        for (int q = 0; q < 3; q++)
        {
            ReadOnlySpan<ulong> query = queries.AsSpan(q * words, words);
            foreach (int k in ks)
            {
                Neighbor[] expected = model.TopK(query, k);
                Assert.Equal(expected, index.TopK(query, k).Neighbors);
                int written = index.TopK(query, k, buffer);
                Assert.Equal(expected, buffer[..written]);
            }
            foreach (int r in radii)
            {
                Neighbor[] expected = model.WithinRadius(query, r);
                Assert.Equal(expected, index.WithinRadius(query, r).Neighbors);
                list.Clear();
                index.WithinRadius(query, r, list);
                Assert.Equal(expected, list);
            }
        }
        int kb = ks[rng.Next(ks.Length)], rb = radii[rng.Next(radii.Length)];
        SearchResult[] nearest = index.TopKBatch(queries, kb);
        SearchResult[] within = index.WithinRadiusBatch(queries, rb, new CancellationTokenSource().Token); // cancellable: the grouped path
        var nearestInto = new SearchResult[4];
        var withinInto = new SearchResult[3];
        index.TopKBatch(queries, kb, nearestInto, new CancellationTokenSource().Token);
        index.WithinRadiusBatch(queries, rb, withinInto);
        Assert.Null(nearestInto[3].Neighbors); // nothing written past the queries
        for (int q = 0; q < 3; q++)
        {
            Assert.Equal(model.TopK(queries.AsSpan(q * words, words), kb), nearest[q].Neighbors);
            Assert.Equal(model.WithinRadius(queries.AsSpan(q * words, words), rb), within[q].Neighbors);
            Assert.Equal(model.TopK(queries.AsSpan(q * words, words), kb), nearestInto[q].Neighbors);
            Assert.Equal(model.WithinRadius(queries.AsSpan(q * words, words), rb), withinInto[q].Neighbors);
        }
        var code = new ulong[words];
        foreach (long id in model.Ids.Take(3).Append(-1))
        {
            Assert.Equal(model.Contains(id), index.Contains(id));
            Assert.Equal(model.Contains(id), index.TryGetCode(id, code));
            if (model.Contains(id)) Assert.Equal(model.Code(id), code);
        }
    }

    private static ulong[] Query(Random rng, CodeLayout layout, List<ulong[]> pool)
    {
        if (pool.Count == 0 || rng.Next(4) == 0) return TestCodes.Uniform(rng, layout, 1);
        ulong[] query = (ulong[])pool[rng.Next(pool.Count)].Clone();
        for (int f = rng.Next(3); f > 0; f--)
        {
            int bit = rng.Next(layout.Bits);
            query[bit >> 6] ^= 1UL << bit;
        }
        return query;
    }

    /// <summary>Codes near earlier ones (clustered: many at small distances, some exact copies) or uniform.</summary>
    private static ulong[] NewCodes(Random rng, CodeLayout layout, int count, List<ulong[]> pool, bool clustered)
    {
        int words = layout.WordsPerCode;
        var codes = new ulong[count * words];
        for (int i = 0; i < count; i++)
        {
            ulong[] code = clustered && pool.Count > 0 && rng.Next(3) > 0 ? Query(rng, layout, pool) : TestCodes.Uniform(rng, layout, 1);
            code.CopyTo(codes.AsSpan(i * words));
            pool.Add(code);
        }
        return codes;
    }

    /// <summary>A new id, or now and then one that was deleted (ids are unique among live codes only).</summary>
    private static long FreshOrDeletedId(Random rng, IndexModel model, ref long nextId)
    {
        if (nextId > 1 && rng.Next(6) == 0)
        {
            long old = 1 + rng.NextInt64(nextId - 1);
            if (!model.Contains(old)) return old;
        }
        return nextId++;
    }
}
