using HammingIndex.Codes;
using HammingIndex.Training.IO;

namespace HammingIndex.Cli.Tests.IO;

/// <summary>Random codes for the command tests (the reader and writer are tested in HammingIndex.Training.Tests).</summary>
public static class RawCodeFileTests
{
    internal static ulong[] RandomCodes(Random rng, int bits, int n)
    {
        var layout = new CodeLayout(bits);
        var codes = new ulong[n * layout.WordsPerCode];
        for (int i = 0; i < codes.Length; i++) codes[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40);
        for (int c = 0; c < n; c++) codes[(c + 1) * layout.WordsPerCode - 1] &= layout.LastWordMask;
        return codes;
    }
}
