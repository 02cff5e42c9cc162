using System.Numerics;
using HammingIndex.Search;

namespace HammingIndex.Tests.Indexing;

/// <summary>The plain reference a <see cref="HammingIndex.Indexing.CodeIndex"/> is compared with: live codes by id, searched by brute force.</summary>
internal sealed class IndexModel
{
    private readonly Dictionary<long, ulong[]> _live = [];

    public int Count => _live.Count;

    public IEnumerable<long> Ids => _live.Keys;

    public bool Contains(long id) => _live.ContainsKey(id);

    public ulong[]? Code(long id) => _live.GetValueOrDefault(id);

    public void Add(ReadOnlySpan<ulong> code, long id) => _live.Add(id, code.ToArray());

    public bool Delete(long id) => _live.Remove(id);

    public Neighbor[] TopK(ReadOnlySpan<ulong> query, int k) => All(query).Take(k).ToArray();

    public Neighbor[] WithinRadius(ReadOnlySpan<ulong> query, int radius) => All(query).Where(n => n.Distance <= radius).ToArray();

    private List<Neighbor> All(ReadOnlySpan<ulong> query)
    {
        var all = new List<Neighbor>(_live.Count);
        foreach ((long id, ulong[] code) in _live)
        {
            int d = 0;
            for (int w = 0; w < code.Length; w++) d += BitOperations.PopCount(query[w] ^ code[w]);
            all.Add(new Neighbor(id, d));
        }
        all.Sort((a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.Id.CompareTo(b.Id));
        return all;
    }
}
