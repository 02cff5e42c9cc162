namespace HammingIndex.Storage;

/// <summary>
/// Id -> positions, built lazily on the first lookup by id or delete (so opening a store never reads
/// its ids, and searches and scans never need it) and kept current by appends after that. Ids need
/// not be unique: one id can name several positions.
/// </summary>
/// <remarks>
/// Cost: a managed hash map of about 28 bytes per distinct id (presized on a catch-up, so no growth
/// doubles it): 10^8 ids take about 2.8 GB, 10^9 about 28 GB, more than the machines a billion-code
/// store is meant for. So on such a store, lookups and deletes by id are the one thing that does not
/// scale; open, append, flush, scan and multi-index search never build it (docs/ARCHITECTURE.md).
/// </remarks>
internal sealed class IdIndex
{
    private readonly Dictionary<long, long> _first = new();
    private readonly Dictionary<long, List<long>> _more = new();

    public long IndexedCount { get; private set; }

    /// <summary>Indexes positions IndexedCount..count-1.</summary>
    public void CatchUp(StoreMemory memory, long count)
    {
        if (count > IndexedCount) _first.EnsureCapacity((int)Math.Min(int.MaxValue / 2, _first.Count + (count - IndexedCount)));
        for (long p = IndexedCount; p < count; p++) Add(memory.Id(p), p);
        IndexedCount = count;
    }

    public void Add(long id, long position)
    {
        if (!_first.TryAdd(id, position))
        {
            if (!_more.TryGetValue(id, out List<long>? list)) _more[id] = list = new List<long>(1);
            list.Add(position);
        }
        IndexedCount = Math.Max(IndexedCount, position + 1);
    }

    /// <summary>The last appended live position of <paramref name="id"/>; false if it has none.</summary>
    public bool TryFindLive(long id, StoreMemory memory, out long position)
    {
        position = -1;
        if (!_first.TryGetValue(id, out long p)) return false;
        if (!memory.IsDeleted(p)) position = p;
        if (_more.TryGetValue(id, out List<long>? list))
        {
            foreach (long q in list) if (!memory.IsDeleted(q)) position = q;
        }
        return position >= 0;
    }

    /// <summary>Calls <paramref name="action"/> for each position of <paramref name="id"/>; false if there is none.</summary>
    public bool ForEach(long id, Action<long> action)
    {
        if (!_first.TryGetValue(id, out long p)) return false;
        action(p);
        if (_more.TryGetValue(id, out List<long>? list)) foreach (long q in list) action(q);
        return true;
    }
}
