using HammingIndex.Search;

namespace HammingIndex.MultiIndex;

/// <summary>
/// The k best neighbours seen so far: a binary max-heap ordered by (distance, id) over a pooled
/// array, so the worst kept neighbour is at the root.
/// </summary>
internal struct NeighborHeap
{
    private readonly Neighbor[] _items;
    private readonly int _capacity;
    private int _count;

    public NeighborHeap(Neighbor[] items, int capacity)
    {
        _items = items;
        _capacity = capacity;
        _count = 0;
    }

    public readonly int Count => _count;

    public readonly bool IsFull => _count == _capacity;

    /// <summary>The worst neighbour kept (valid when Count &gt; 0).</summary>
    public readonly Neighbor Max => _items[0];

    /// <summary>Whether a code at <paramref name="distance"/> could still enter the heap.</summary>
    public readonly bool Admits(int distance) => _count < _capacity || distance <= _items[0].Distance;

    public void Add(Neighbor item)
    {
        if (_count < _capacity)
        {
            int i = _count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (_items[parent].CompareTo(item) >= 0) break;
                _items[i] = _items[parent];
                i = parent;
            }
            _items[i] = item;
        }
        else if (_capacity > 0 && item.CompareTo(_items[0]) < 0)
        {
            SiftDown(item);
        }
    }

    /// <summary>Writes the kept neighbours in ascending (distance, id) order; returns how many.</summary>
    public readonly int CopySorted(Span<Neighbor> destination)
    {
        Span<Neighbor> kept = _items.AsSpan(0, _count);
        kept.Sort();
        kept.CopyTo(destination);
        return _count;
    }

    private void SiftDown(Neighbor item)
    {
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= _count) break;
            if (child + 1 < _count && _items[child + 1].CompareTo(_items[child]) > 0) child++;
            if (_items[child].CompareTo(item) <= 0) break;
            _items[i] = _items[child];
            i = child;
        }
        _items[i] = item;
    }
}
