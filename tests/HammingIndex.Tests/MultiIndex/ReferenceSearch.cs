using System.Numerics;
using HammingIndex.Search;

namespace HammingIndex.Tests.MultiIndex;

/// <summary>The plain brute-force reference every multi-index search is compared with.</summary>
internal sealed class ReferenceSearch(int wordsPerCode)
{
    private readonly List<ulong[]> _codes = [];
    private readonly List<long> _ids = [];
    private readonly List<bool> _deleted = [];

    public int Count => _codes.Count;

    public void Add(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> ids)
    {
        for (int i = 0; i < ids.Length; i++)
        {
            _codes.Add(codes.Slice(i * wordsPerCode, wordsPerCode).ToArray());
            _ids.Add(ids[i]);
            _deleted.Add(false);
        }
    }

    public void Delete(long id)
    {
        for (int i = 0; i < _ids.Count; i++) if (_ids[i] == id) _deleted[i] = true;
    }

    public List<Neighbor> All(ReadOnlySpan<ulong> query)
    {
        var all = new List<Neighbor>();
        for (int i = 0; i < _codes.Count; i++)
        {
            if (_deleted[i]) continue;
            int d = 0;
            for (int w = 0; w < wordsPerCode; w++) d += BitOperations.PopCount(query[w] ^ _codes[i][w]);
            all.Add(new Neighbor(_ids[i], d));
        }
        all.Sort((a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.Id.CompareTo(b.Id));
        return all;
    }

    public Neighbor[] WithinRadius(ReadOnlySpan<ulong> query, int radius) => All(query).Where(n => n.Distance <= radius).ToArray();

    public Neighbor[] TopK(ReadOnlySpan<ulong> query, int k) => All(query).Take(k).ToArray();
}
