namespace HammingIndex.Search;

/// <summary>One search result: a stored code's caller-chosen id and its Hamming distance to the query.</summary>
/// <param name="Id">The id the code was appended with.</param>
/// <param name="Distance">Hamming distance from the query, 0..bits.</param>
public readonly record struct Neighbor(long Id, int Distance) : IComparable<Neighbor>
{
    /// <summary>Orders by distance, then by id: the deterministic result order of every search.</summary>
    public int CompareTo(Neighbor other)
    {
        int c = Distance.CompareTo(other.Distance);
        return c != 0 ? c : Id.CompareTo(other.Id);
    }
}
