using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using FsCheck.Xunit;
using HammingIndex.Kernels;

namespace HammingIndex.Tests.Kernels;

/// <summary>
/// Every byte-count method the CPU can run equals a bit-by-bit count, including the AVX-512 nibble
/// lookup that the kernels use only on CPUs without VBMI/GFNI (so it is checked here too).
/// </summary>
public class BytePopCountTests
{
    private static byte[] Reference(ReadOnlySpan<byte> bytes)
    {
        var counts = new byte[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
            for (int bit = 0; bit < 8; bit++) counts[i] += (byte)((bytes[i] >> bit) & 1);
        return counts;
    }

    private static byte[] Bytes(Vector256<byte> v)
    {
        var bytes = new byte[32];
        v.CopyTo(bytes);
        return bytes;
    }

    private static byte[] Bytes(Vector512<byte> v)
    {
        var bytes = new byte[64];
        v.CopyTo(bytes);
        return bytes;
    }

    [Property(MaxTest = 200)]
    public void ByteCountsEqualTheReferenceForEveryMethod(int seed)
    {
        var random = new Random(seed);
        var words = new ulong[8];
        for (int i = 0; i < words.Length; i++) words[i] = (ulong)random.NextInt64() | ((ulong)random.Next(2) << 63);
        if ((seed & 3) == 0) words[seed & 7] = ulong.MaxValue;
        Vector512<ulong> v = Vector512.Create(words.AsSpan());
        byte[] expected = Reference(System.Runtime.InteropServices.MemoryMarshal.AsBytes(words.AsSpan()));
        if (Avx2.IsSupported)
        {
            Assert.Equal(expected[..32], Bytes(BytePopCount.ByteCounts(v.GetLower())));
            Assert.Equal(expected[32..], Bytes(BytePopCount.ByteCounts(v.GetUpper())));
        }
        if (Avx512BW.IsSupported)
            Assert.Equal(expected, Bytes(BytePopCount.ByteCountsNibble(v)));
        if (BytePopCount.UsesPermuteLookup)
            Assert.Equal(expected, Bytes(BytePopCount.ByteCountsPermute(v)));
        if (Avx512BW.IsSupported)
        {
            var lanes = new ulong[8];
            BytePopCount.LaneCounts(v).CopyTo(lanes);
            Assert.Equal(words.Select(w => (ulong)BitOperations.PopCount(w)), lanes);
        }
    }
}
