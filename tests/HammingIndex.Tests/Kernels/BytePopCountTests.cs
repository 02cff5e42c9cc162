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

    private static byte[] BytesOf(ulong word) => BitConverter.GetBytes(word);

    private static ulong Sum(byte[] bytes) => (ulong)bytes.Sum(b => (long)b);

    private static ulong[] Lanes(Vector128<ulong> v) => [v.GetElement(0), v.GetElement(1)];

    private static byte[] Bytes(Vector128<byte> v)
    {
        var bytes = new byte[16];
        v.CopyTo(bytes);
        return bytes;
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
        // The portable 128-bit methods run on every CPU (in software where vectors are not accelerated),
        // and the shifts-and-masks fallbacks are checked directly as x86 and Arm64 take other branches.
        for (int half = 0; half < 4; half++)
        {
            Vector128<ulong> v128 = Vector128.Create(words[2 * half], words[2 * half + 1]);
            byte[] expected128 = expected[(16 * half)..(16 * half + 16)];
            Assert.Equal(expected128, Bytes(BytePopCount.ByteCounts(v128)));
            Assert.Equal(expected128, Bytes(BytePopCount.ByteCountsShifts(v128)));
            ulong[] lanes128 = [(ulong)BitOperations.PopCount(words[2 * half]), (ulong)BitOperations.PopCount(words[2 * half + 1])];
            Assert.Equal(lanes128, Lanes(BytePopCount.LaneCounts(v128)));
            // Lane sums of arbitrary bytes (up to 255 each, as the kernels' accumulated counts reach 248).
            Vector128<byte> raw = v128.AsByte();
            ulong[] rawSums = [Sum(BytesOf(words[2 * half])), Sum(BytesOf(words[2 * half + 1]))];
            Assert.Equal(rawSums, Lanes(BytePopCount.LaneSums(raw)));
            Assert.Equal(rawSums, Lanes(BytePopCount.LaneSumsShifts(raw)));
        }
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
