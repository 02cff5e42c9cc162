using System.Numerics;

namespace HammingIndex.Training.Evaluation;

/// <summary>
/// The labels of <see cref="Count"/> items over <see cref="LabelCount"/> labels (multi-label
/// allowed), packed as one bit per label: item i holds words
/// [i * <see cref="WordsPerItem"/>, (i + 1) * <see cref="WordsPerItem"/>). Two items are relevant
/// to each other when they share at least one label; an item with no label is relevant to none.
/// </summary>
public sealed class LabelSet
{
    private readonly ulong[] _bits;

    private LabelSet(int count, int labelCount, ulong[] bits)
    {
        Count = count;
        LabelCount = labelCount;
        WordsPerItem = Math.Max(1, (labelCount + 63) >> 6);
        _bits = bits;
    }

    /// <summary>Number of items.</summary>
    public int Count { get; }

    /// <summary>Number of distinct labels.</summary>
    public int LabelCount { get; }

    /// <summary>Number of 64-bit words per item.</summary>
    public int WordsPerItem { get; }

    /// <summary>The packed label bits of all items.</summary>
    public ReadOnlySpan<ulong> Bits => _bits;

    /// <summary>
    /// Labels from an items x labels indicator matrix (e.g. the one-hot L of Wiki): item i has
    /// label j when entry (i, j) is non-zero.
    /// </summary>
    /// <exception cref="ArgumentException">An entry is NaN.</exception>
    public static LabelSet FromIndicatorMatrix(FeatureMatrix indicators)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        var set = Empty(indicators.Rows, indicators.Columns);
        for (int i = 0; i < indicators.Rows; i++)
        {
            ReadOnlySpan<double> row = indicators.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                if (double.IsNaN(row[j]))
                    throw new ArgumentException($"Label indicator ({i}, {j}) is NaN.", nameof(indicators));
                if (row[j] != 0) set.Set(i, j);
            }
        }
        return set;
    }

    /// <summary>Single-label items: item i has label <c>classes[i]</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A class is outside 0..classCount-1.</exception>
    public static LabelSet FromClasses(ReadOnlySpan<int> classes, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classCount);
        var set = Empty(classes.Length, classCount);
        for (int i = 0; i < classes.Length; i++)
        {
            if ((uint)classes[i] >= (uint)classCount)
                throw new ArgumentOutOfRangeException(nameof(classes), classes[i], $"Item {i}: class must be in 0..{classCount - 1}.");
            set.Set(i, classes[i]);
        }
        return set;
    }

    /// <summary>Multi-label items: item i has the labels in <c>labels[i]</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside 0..labelCount-1.</exception>
    public static LabelSet FromLists(IReadOnlyList<IReadOnlyCollection<int>> labels, int labelCount)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(labelCount);
        var set = Empty(labels.Count, labelCount);
        for (int i = 0; i < labels.Count; i++)
        {
            foreach (int label in labels[i])
            {
                if ((uint)label >= (uint)labelCount)
                    throw new ArgumentOutOfRangeException(nameof(labels), label, $"Item {i}: label must be in 0..{labelCount - 1}.");
                set.Set(i, label);
            }
        }
        return set;
    }

    /// <summary>The packed label words of item <paramref name="item"/>.</summary>
    public ReadOnlySpan<ulong> Item(int item)
    {
        if ((uint)item >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(item), item, $"Item must be in 0..{Count - 1}.");
        return _bits.AsSpan(item * WordsPerItem, WordsPerItem);
    }

    /// <summary>Whether item <paramref name="item"/> has label <paramref name="label"/>.</summary>
    public bool Has(int item, int label)
    {
        if ((uint)label >= (uint)LabelCount)
            throw new ArgumentOutOfRangeException(nameof(label), label, $"Label must be in 0..{LabelCount - 1}.");
        return (Item(item)[label >> 6] & (1UL << (label & 63))) != 0;
    }

    /// <summary>Number of labels item <paramref name="item"/> has.</summary>
    public int LabelsOf(int item)
    {
        int n = 0;
        foreach (ulong w in Item(item)) n += BitOperations.PopCount(w);
        return n;
    }

    /// <summary>Whether item <paramref name="item"/> of this set shares a label with item <paramref name="otherItem"/> of <paramref name="other"/>.</summary>
    /// <exception cref="ArgumentException">The two sets have different label counts.</exception>
    public bool SharesLabel(int item, LabelSet other, int otherItem)
    {
        ArgumentNullException.ThrowIfNull(other);
        CheckCompatible(other);
        ReadOnlySpan<ulong> a = Item(item), b = other.Item(otherItem);
        for (int w = 0; w < a.Length; w++)
            if ((a[w] & b[w]) != 0) return true;
        return false;
    }

    /// <summary>The labels as an items x labels 0/1 indicator matrix.</summary>
    public FeatureMatrix ToIndicatorMatrix()
    {
        var m = new FeatureMatrix(Count, LabelCount);
        for (int i = 0; i < Count; i++)
            for (int j = 0; j < LabelCount; j++)
                if (Has(i, j)) m[i, j] = 1;
        return m;
    }

    /// <summary>A new set of the given items, in the given order.</summary>
    public LabelSet SelectRows(ReadOnlySpan<int> items)
    {
        var set = Empty(items.Length, LabelCount);
        for (int i = 0; i < items.Length; i++) Item(items[i]).CopyTo(set._bits.AsSpan(i * WordsPerItem, WordsPerItem));
        return set;
    }

    internal void CheckCompatible(LabelSet other)
    {
        if (other.LabelCount != LabelCount)
            throw new ArgumentException($"Label sets over {LabelCount} and {other.LabelCount} labels cannot be compared.", nameof(other));
    }

    private static LabelSet Empty(int count, int labelCount)
    {
        int words = Math.Max(1, (labelCount + 63) >> 6);
        return new LabelSet(count, labelCount, new ulong[checked(count * words)]);
    }

    private void Set(int item, int label) => _bits[item * WordsPerItem + (label >> 6)] |= 1UL << (label & 63);
}
