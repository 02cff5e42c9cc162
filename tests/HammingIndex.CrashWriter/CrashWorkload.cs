using HammingIndex.Codes;

namespace HammingIndex.CrashWriter;

/// <summary>
/// The deterministic workload both the crash writer and the test that checks it agree on. The code
/// with sequence number s has id s and content <see cref="CodeFor"/>(s); after the writer has appended
/// up to sequence S, every <see cref="Doomed"/> s below S - <see cref="DeleteLag"/> is deleted.
/// </summary>
public static class CrashWorkload
{
    /// <summary>Codes younger than this many sequence numbers are never deleted (so the newest code names the next sequence number).</summary>
    public const int DeleteLag = 50;

    /// <summary>Most codes one batch (one flush) appends.</summary>
    public const int MaxBatch = 40;

    /// <summary>The code of sequence number <paramref name="sequence"/>: never all zero, padding clear.</summary>
    public static ulong[] CodeFor(CodeLayout layout, long sequence)
    {
        var code = new ulong[layout.WordsPerCode];
        ulong x = (ulong)sequence * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL;
        for (int i = 0; i < code.Length; i++)
        {
            x ^= x >> 31;
            x *= 0xBF58476D1CE4E5B9UL;
            x ^= x >> 29;
            code[i] = x | 1;
        }
        code[^1] &= layout.LastWordMask;
        code[0] |= 1;
        return code;
    }

    /// <summary>Whether sequence number <paramref name="sequence"/> gets deleted once it is old enough.</summary>
    public static bool Doomed(long sequence) => (ulong)(sequence * 0x2545F4914F6CDD1DL) % 5 == 0;

    /// <summary>Whether sequence number <paramref name="sequence"/> is deleted in the state committed at <paramref name="next"/>.</summary>
    public static bool DeletedAt(long sequence, long next) => Doomed(sequence) && sequence < next - DeleteLag;
}
