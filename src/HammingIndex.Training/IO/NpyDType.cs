namespace HammingIndex.Training.IO;

/// <summary>The NumPy element types that <see cref="NpyFile"/> reads and writes (all little-endian).</summary>
public enum NpyDType
{
    /// <summary><c>&lt;f8</c>: 64-bit IEEE float.</summary>
    Float64,

    /// <summary><c>&lt;f4</c>: 32-bit IEEE float.</summary>
    Float32,

    /// <summary><c>|u1</c>: unsigned byte.</summary>
    UInt8,

    /// <summary><c>&lt;i4</c>: 32-bit signed integer.</summary>
    Int32,

    /// <summary><c>&lt;i8</c>: 64-bit signed integer.</summary>
    Int64,
}
