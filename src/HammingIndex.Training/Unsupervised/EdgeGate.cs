namespace HammingIndex.Training.Unsupervised;

/// <summary>
/// The local-rebasing gate on edge weights: an edge of cosine similarity c has standardised
/// similarity z = (c - mean) / std (mean and std over every candidate edge of the modality); it is
/// kept when z ≥ θ (<see cref="UnsupervisedOptions.GateThreshold"/>) and then weighs sigmoid(β z)
/// (<see cref="UnsupervisedOptions.GateSharpness"/>). A row's most similar edge is always kept, so
/// no row is left without a neighbour.
/// </summary>
internal static class EdgeGate
{
    /// <summary>Mean and standard deviation (population) of the candidate similarities; a std of 0 becomes 1 (every z is then 0).</summary>
    public static (double Mean, double Std) Standardisation(ReadOnlySpan<double> similarities)
    {
        if (similarities.IsEmpty) return (0, 1);
        double mean = 0;
        foreach (double c in similarities) mean += c;
        mean /= similarities.Length;
        double variance = 0;
        foreach (double c in similarities) variance += (c - mean) * (c - mean);
        double std = Math.Sqrt(variance / similarities.Length);
        return (mean, std > 1e-12 ? std : 1);
    }

    /// <summary>sigmoid(β z).</summary>
    public static double Weight(double z, double sharpness) => 1 / (1 + Math.Exp(-sharpness * z));

    /// <summary>
    /// Gates one row's candidate edges, given most similar first: writes the weight of each kept edge
    /// and 0 for each dropped one into <paramref name="weights"/>, and returns how many were kept (at least 1).
    /// </summary>
    public static int Apply(ReadOnlySpan<double> similaritiesDescending, double mean, double std, double threshold, double sharpness, Span<double> weights)
    {
        int kept = 0;
        for (int e = 0; e < similaritiesDescending.Length; e++)
        {
            double z = (similaritiesDescending[e] - mean) / std;
            if (e == 0 || z >= threshold)
            {
                weights[e] = Weight(z, sharpness);
                kept++;
            }
            else
            {
                weights[e] = 0;
            }
        }
        return kept;
    }
}
