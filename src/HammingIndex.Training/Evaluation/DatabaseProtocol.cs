namespace HammingIndex.Training.Evaluation;

/// <summary>What the retrieval database holds for the training items when a method is scored.</summary>
public enum DatabaseProtocol
{
    /// <summary>
    /// The codes the method learned for its training items (SCRATCH's B), for both directions: the
    /// authors' protocol (evaluate.m), which no index built from the hash functions reproduces.
    /// </summary>
    TrainingCodes,

    /// <summary>
    /// Each modality's hash-function codes of the training items: what an index holds when items are
    /// added through the hash functions (<c>CrossModalIndex</c>, <c>hamming encode</c>/<c>build</c>).
    /// </summary>
    EncodedDatabase,
}

/// <summary>Names of <see cref="DatabaseProtocol"/>.</summary>
public static class DatabaseProtocols
{
    /// <summary>"training codes (authors' protocol)" or "encoded database (what an index holds)".</summary>
    public static string DisplayName(this DatabaseProtocol protocol) => protocol switch
    {
        DatabaseProtocol.TrainingCodes => "training codes (authors' protocol)",
        DatabaseProtocol.EncodedDatabase => "encoded database (what an index holds)",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Unknown protocol."),
    };

    /// <summary>"training codes" or "encoded database": for narrow table cells and legends.</summary>
    public static string ShortName(this DatabaseProtocol protocol) => protocol switch
    {
        DatabaseProtocol.TrainingCodes => "training codes",
        DatabaseProtocol.EncodedDatabase => "encoded database",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Unknown protocol."),
    };
}
