namespace HammingIndex.Training.IO;

/// <summary>The parsed header of a .npy file.</summary>
/// <param name="MajorVersion">Format major version (1, 2 or 3).</param>
/// <param name="MinorVersion">Format minor version.</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Array shape, outermost dimension first (empty for a scalar).</param>
/// <param name="FortranOrder">Whether the data are column-major (Fortran order: the first index varies fastest).</param>
/// <param name="DataOffset">Byte offset of the first element from the start of the file.</param>
public sealed record NpyHeader(int MajorVersion, int MinorVersion, NpyDType DType, long[] Shape, bool FortranOrder, long DataOffset)
{
    /// <summary>Bytes per element of <see cref="DType"/>.</summary>
    public int ItemSize => NpyFile.ItemSize(DType);

    /// <summary>Number of elements (product of the shape; 1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long d in Shape) count = checked(count * d);
            return count;
        }
    }

    /// <summary>Number of data bytes the header promises.</summary>
    public long DataLength => checked(ElementCount * ItemSize);
}
