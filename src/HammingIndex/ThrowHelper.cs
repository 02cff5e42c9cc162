using System.Diagnostics.CodeAnalysis;

namespace HammingIndex;

/// <summary>Throws out of line so that argument checks stay out of hot loops.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void Argument(string? paramName, string message) => throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ArgumentOutOfRange(string? paramName, object? actualValue, string message) =>
        throw new ArgumentOutOfRangeException(paramName, actualValue, message);

    [DoesNotReturn]
    public static void ObjectDisposed(string? objectName) => throw new ObjectDisposedException(objectName);

    [DoesNotReturn]
    public static void InvalidOperation(string message) => throw new InvalidOperationException(message);

    /// <summary>A batch's answer buffer holds an entry per query (ArgumentException naming "answers").</summary>
    public static void CheckAnswers(int queryCount, int answers)
    {
        if (answers < queryCount)
            Argument(nameof(answers), $"Room for {answers} answers, but there are {queryCount} queries.");
    }

    /// <summary>
    /// Checks a top-k batch into caller buffers: <paramref name="k"/> positive, room for queryCount × k
    /// results and one count per query (ArgumentException naming "results" or "counts").
    /// </summary>
    public static void CheckBatchBuffers(int queryCount, int k, int results, int counts)
    {
        CheckK(k);
        if (results < (long)queryCount * k)
            Argument(nameof(results), $"Room for {results} results, but {queryCount} queries of k = {k} need {(long)queryCount * k}.");
        if (counts < queryCount)
            Argument(nameof(counts), $"Room for {counts} counts, but there are {queryCount} queries.");
    }

    /// <summary>A k-NN result buffer: <paramref name="k"/> positive and room for k results (ArgumentException naming "results").</summary>
    public static void CheckResults(int k, int results)
    {
        CheckK(k);
        if (results < k) Argument(nameof(results), $"Room for {results} results, but k is {k}.");
    }

    /// <summary>k must be at least 1.</summary>
    public static void CheckK(int k, string paramName = "k")
    {
        if (k <= 0) ArgumentOutOfRange(paramName, k, "k must be at least 1.");
    }

    /// <summary>A radius must lie in 0..bits.</summary>
    public static void CheckRadius(int radius, int bits, string paramName = "radius")
    {
        if ((uint)radius > (uint)bits) ArgumentOutOfRange(paramName, radius, $"Radius must be between 0 and the code length {bits}.");
    }
}
