using HammingIndex.Codes;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Storage;

/// <summary>The plain reference a store is compared with: a list of (code, id, deleted) in position order.</summary>
internal sealed class StoreModel
{
    private readonly List<(ulong[] Code, long Id, bool Deleted)> _entries = new();

    public long Generation { get; private set; }

    public int Count => _entries.Count;

    public void Append(ulong[] code, long id) => _entries.Add((code, id, false));

    /// <summary>Marks every live entry with <paramref name="id"/> deleted; returns how many.</summary>
    public int Delete(long id)
    {
        int deleted = 0;
        for (int i = 0; i < _entries.Count; i++)
        {
            if (_entries[i].Id != id || _entries[i].Deleted) continue;
            _entries[i] = _entries[i] with { Deleted = true };
            deleted++;
        }
        return deleted;
    }

    public void Compact()
    {
        _entries.RemoveAll(e => e.Deleted);
        Generation++;
    }

    public StoreModel Clone()
    {
        var copy = new StoreModel { Generation = Generation };
        copy._entries.AddRange(_entries);
        return copy;
    }

    /// <summary>A random code of <paramref name="layout"/> with zero padding.</summary>
    public static ulong[] RandomCode(CodeLayout layout, Random random)
    {
        var code = new ulong[layout.WordsPerCode];
        for (int i = 0; i < code.Length; i++) code[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);
        code[^1] &= layout.LastWordMask;
        return code;
    }

    /// <summary>The entries in position order.</summary>
    public IReadOnlyList<(ulong[] Code, long Id, bool Deleted)> Entries => _entries;

    /// <summary>Whether <paramref name="other"/> holds exactly the same entries and generation.</summary>
    public bool SameAs(StoreModel other) =>
        Generation == other.Generation && _entries.Count == other._entries.Count
        && _entries.Zip(other._entries).All(p => p.First.Id == p.Second.Id && p.First.Deleted == p.Second.Deleted && p.First.Code.AsSpan().SequenceEqual(p.Second.Code));

    /// <summary>Reads a store into a model (every block is verified by the read).</summary>
    public static StoreModel Read(CodeStore store)
    {
        var model = new StoreModel { Generation = store.Generation };
        using CodeStoreSnapshot snapshot = store.AcquireSnapshot();
        for (long p = 0; p < snapshot.Count; p++)
            model._entries.Add((snapshot.GetCode(p).ToArray(), snapshot.GetId(p), snapshot.IsDeleted(p)));
        return model;
    }

    /// <summary>Live codes of this model (by id and code) that <paramref name="other"/> does not hold live, and deletes it lost.</summary>
    public (long Codes, long Deletes) LostIn(StoreModel other)
    {
        var live = other._entries.Where(e => !e.Deleted).GroupBy(Key).ToDictionary(g => g.Key, g => g.Count());
        long codes = 0;
        foreach (var e in _entries.Where(e => !e.Deleted))
        {
            string key = Key(e);
            if (live.TryGetValue(key, out int n) && n > 0) live[key] = n - 1;
            else codes++;
        }
        long deletes = Math.Max(0, _entries.Count(e => e.Deleted) - other._entries.Count(e => e.Deleted));
        return (codes, Generation == other.Generation ? deletes : 0);
    }

    private static string Key((ulong[] Code, long Id, bool Deleted) e) => e.Id + ":" + string.Join(",", e.Code);

    /// <summary>Asserts the store holds exactly this model: counts, generation, and every code, id and delete, block by block.</summary>
    public void AssertMatches(CodeStore store)
    {
        Assert.Equal(_entries.Count, store.Count);
        Assert.Equal(_entries.Count(e => !e.Deleted), store.LiveCount);
        Assert.Equal(Generation, store.Generation);
        using CodeStoreSnapshot snapshot = store.AcquireSnapshot();
        Assert.Equal(_entries.Count, snapshot.Count);
        int words = store.Layout.WordsPerCode;
        long position = 0;
        for (int b = 0; b < snapshot.BlockCount; b++)
        {
            CodeBlock block = snapshot.GetBlock(b);
            Assert.Equal(position, block.FirstPosition);
            for (int i = 0; i < block.Count; i++, position++)
            {
                var e = _entries[(int)position];
                Assert.True(e.Code.AsSpan().SequenceEqual(block.Codes.Slice(i * words, words)), $"code at position {position}");
                Assert.Equal(e.Id, block.Ids[i]);
                Assert.Equal(e.Deleted, block.IsDeleted(i));
                Assert.Equal(e.Deleted, snapshot.IsDeleted(position));
            }
        }
        Assert.Equal(_entries.Count, position);
    }
}
