namespace HammingIndex.Search;

/// <summary>
/// The k best neighbors seen so far, ordered by (distance, id): a bounded max-heap
/// (<see cref="PriorityQueue{TElement, TPriority}"/> with the order reversed) whose root is the
/// current k-th best. Reused across queries; allocation-free once its capacity reaches k.
/// </summary>
internal sealed class TopKCollector
{
    private static readonly IComparer<Neighbor> WorstFirst = Comparer<Neighbor>.Create(static (a, b) => b.CompareTo(a));

    private readonly PriorityQueue<Neighbor, Neighbor> _heap = new(WorstFirst);
    private int _k;
    private Neighbor _worst;
    private int _fullBound;

    /// <summary>Number of neighbors held (at most k).</summary>
    public int Count => _heap.Count;

    /// <summary>Whether k neighbors are held.</summary>
    public bool IsFull => _heap.Count == _k;

    /// <summary>How many more neighbors fit before the collector is full.</summary>
    public int Missing => _k - _heap.Count;

    /// <summary>The largest distance that can still enter: the k-th best distance when full, else <c>maxDistance</c>.</summary>
    public int Bound => _fullBound;

    /// <summary>Adds to <paramref name="counts"/>[d] the number of held neighbors at distance d (distances past its end are left out); O(k).</summary>
    public void CountByDistance(Span<int> counts)
    {
        foreach ((Neighbor n, _) in _heap.UnorderedItems)
            if ((uint)n.Distance < (uint)counts.Length) counts[n.Distance]++;
    }

    /// <summary>Codes scanned for this query so far (kept by the scan, to size its kernel calls).</summary>
    public long Scanned { get; set; }

    /// <summary>Empties the collector for a new query keeping the best <paramref name="k"/>; distances never exceed <paramref name="maxDistance"/>.</summary>
    public void Reset(int k, int maxDistance)
    {
        _heap.Clear();
        _heap.EnsureCapacity(k);
        _k = k;
        _fullBound = maxDistance;
        Scanned = 0;
    }

    /// <summary>Offers one candidate; keeps it if it beats the current k-th best (distance, then id).</summary>
    public void Offer(long id, int distance)
    {
        var candidate = new Neighbor(id, distance);
        if (_heap.Count < _k)
        {
            _heap.Enqueue(candidate, candidate);
            if (_heap.Count == _k) UpdateWorst();
        }
        else if (candidate.CompareTo(_worst) < 0)
        {
            _heap.DequeueEnqueue(candidate, candidate);
            UpdateWorst();
        }
    }

    /// <summary>Offers every neighbor of <paramref name="other"/> (merging per-worker results).</summary>
    public void MergeFrom(TopKCollector other)
    {
        foreach ((Neighbor n, _) in other._heap.UnorderedItems) Offer(n.Id, n.Distance);
    }

    /// <summary>Writes the held neighbors best first into <paramref name="destination"/>, empties the collector and returns the count.</summary>
    public int Drain(Span<Neighbor> destination)
    {
        int count = _heap.Count;
        for (int i = count - 1; i >= 0; i--) destination[i] = _heap.Dequeue();
        return count;
    }

    private void UpdateWorst()
    {
        _worst = _heap.Peek();
        _fullBound = _worst.Distance;
    }
}
