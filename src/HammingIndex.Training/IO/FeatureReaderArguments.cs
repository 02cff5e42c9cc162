namespace HammingIndex.Training.IO;

/// <summary>Argument checks shared by the <see cref="IFeatureReader"/> implementations, written once.</summary>
internal static class FeatureReaderArguments
{
    /// <summary>How many whole rows of <paramref name="dimension"/> values fit in <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">Not even one row fits (named <c>destination</c>, as in <see cref="IFeatureReader.ReadAsync"/>).</exception>
    public static int MaxRows(Memory<double> destination, int dimension)
    {
        int maxRows = destination.Length / dimension;
        if (maxRows == 0)
            throw new ArgumentException($"Room for {destination.Length} values cannot hold one row of {dimension}.", nameof(destination));
        return maxRows;
    }
}
