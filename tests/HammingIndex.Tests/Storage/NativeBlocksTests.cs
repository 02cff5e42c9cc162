using System.Globalization;
using FsCheck;
using FsCheck.Xunit;
using HammingIndex.MultiIndex;

namespace HammingIndex.Storage;

public class NativeBlocksTests
{
    /// <summary>
    /// Blocks of any length, below, at and above the huge-page threshold (odd lengths included), come
    /// back zeroed to their last byte, aligned as asked (2 MiB once advised), and writable throughout.
    /// </summary>
    [Property(MaxTest = 40)]
    public unsafe bool BlocksAreZeroedAlignedAndWholeAtEveryLength(byte around, ushort offset, bool small, bool hugePages)
    {
        long length = small ? 1 + offset : NativeBlocks.HugePagesFrom + offset - 32768 + (around & 1);
        nuint alignment = (nuint)1 << (6 + around % 7); // 64 .. 4096
        byte* block = NativeBlocks.AllocateZeroed(length, alignment, hugePages);
        try
        {
            bool advised = hugePages && length >= NativeBlocks.HugePagesFrom && OperatingSystem.IsLinux();
            long aligned = advised ? ReadAhead.HugePageBytes : (long)alignment;
            if ((long)block % aligned != 0) return false;
            var bytes = new Span<byte>(block, checked((int)length));
            if (bytes.ContainsAnyExcept((byte)0)) return false;
            bytes.Fill(0xA5);
            return bytes[^1] == 0xA5 && bytes[0] == 0xA5;
        }
        finally
        {
            NativeBlocks.Free(block);
        }
    }

    /// <summary>
    /// Where the kernel offers transparent huge pages (/sys/kernel/mm/transparent_hugepage/enabled is
    /// "always" or "madvise"), a large block is backed by them: /proc/self/smaps shows huge pages in the
    /// mapping that holds it. Elsewhere there is nothing to show.
    /// </summary>
    [Fact]
    public unsafe void ALargeBlockIsBackedByHugePagesWhereTheKernelOffersThem()
    {
        const string Setting = "/sys/kernel/mm/transparent_hugepage/enabled";
        if (!OperatingSystem.IsLinux() || !File.Exists(Setting) || File.ReadAllText(Setting).Contains("[never]", StringComparison.Ordinal)) return;
        long length = 4 * NativeBlocks.HugePagesFrom; // 32 MiB: 16 huge pages
        byte* block = NativeBlocks.AllocateZeroed(length, 64, hugePages: true);
        try
        {
            Assert.True(AnonHugePagesKiB((nuint)block) >= ReadAhead.HugePageBytes / 1024,
                $"no huge page in the mapping of a {length}-byte block advised for them ({Setting}: {File.ReadAllText(Setting).Trim()})");
        }
        finally
        {
            NativeBlocks.Free(block);
        }
    }

    /// <summary>Mapped tables are advised for huge pages from the threshold up to the limit, and for random access beyond it.</summary>
    [Theory]
    [InlineData(0, false)]
    [InlineData(NativeBlocks.HugePagesFrom - 1, false)]
    [InlineData(NativeBlocks.HugePagesFrom, true)]
    [InlineData(1L << 30, true)]
    [InlineData((1L << 30) + 1, false)]
    public void MappedTablesAreAdvisedForHugePagesOnlyWhenTheyFitTheLimit(long length, bool expected)
    {
        Assert.Equal(expected, TablesImage.AdvisesHugePages(length, upTo: 1L << 30));
    }

    /// <summary>The AnonHugePages of the mapping in /proc/self/smaps that contains <paramref name="address"/> (KiB; 0 when none holds it).</summary>
    private static long AnonHugePagesKiB(nuint address)
    {
        bool inside = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-');
            int space = line.IndexOf(' ');
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong end))
            {
                inside = start <= address && address < end;
                continue;
            }
            if (inside && line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
                return long.Parse(line["AnonHugePages:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return 0;
    }
}
