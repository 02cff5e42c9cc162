namespace HammingIndex.Training.IO;

/// <summary>
/// The ANN-benchmarks "vecs" family (TEXMEX corpus format): each row is a little-endian int32
/// dimension d followed by d values of the kind's element type. No file header.
/// </summary>
public enum VecsKind
{
    /// <summary>.fvecs: float32 values.</summary>
    Fvecs,

    /// <summary>.bvecs: uint8 values.</summary>
    Bvecs,

    /// <summary>.ivecs: int32 values (typically ground-truth neighbour ids).</summary>
    Ivecs,
}

/// <summary>Facts about each <see cref="VecsKind"/>.</summary>
public static class VecsKinds
{
    /// <summary>Bytes of one value.</summary>
    public static int ElementSize(this VecsKind kind) => kind == VecsKind.Bvecs ? 1 : 4;

    /// <summary>The kind a file extension names (".fvecs", ".bvecs", ".ivecs"), or null.</summary>
    public static VecsKind? FromExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".fvecs" => VecsKind.Fvecs,
        ".bvecs" => VecsKind.Bvecs,
        ".ivecs" => VecsKind.Ivecs,
        _ => null,
    };
}
