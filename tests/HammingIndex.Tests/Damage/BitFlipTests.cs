using System.Text;
using HammingIndex.Storage;
using Xunit.Abstractions;

namespace HammingIndex.Tests.Damage;

/// <summary>
/// Single-bit flips and truncations of a small store file and a small tables file: each gives the intact
/// file's answers or the reader's specific exception — never a wrong answer, another exception or a
/// hang. CI tries every bit of the bytes the readers interpret first (both header slots, every block's
/// checksum records of the last block, the tables header) and a seeded sample of the rest, and every truncation up to the
/// end of the second header slot (store) or of the header (tables) plus every 61st length beyond; HAMMING_DAMAGE_ALL=1
/// (scripts/damage.sh) tries every bit and every length of both files.
/// </summary>
public class BitFlipTests(ITestOutputHelper output)
{
    private static bool All => Environment.GetEnvironmentVariable("HAMMING_DAMAGE_ALL") == "1";

    [Fact]
    public void EveryBitFlipAndTruncationGivesTheSameAnswersOrTheSpecificException()
    {
        using var subjects = new DamageSubjects();
        var report = new StringBuilder();
        var counts = new List<(string What, Dictionary<DamageOutcome, int> Outcomes)>();

        var format = new StoreFileFormat(new Codes.CodeLayout(64), 6);
        var storeBits = All ? Enumerable.Range(0, subjects.StoreBytes.Length * 8) : StoreBitsForCi(subjects.StoreBytes.Length, format);
        counts.Add(("store bit flips", Run(storeBits, bit => subjects.TryStore(Flip(subjects.StoreBytes, bit)))));
        counts.Add(("store truncations", Run(Lengths(subjects.StoreBytes.Length, StoreFileFormat.HeaderSlotOffset(1) + StoreFileFormat.HeaderSlotBytes), n => subjects.TryStore(subjects.StoreBytes[..n]))));
        var tablesBits = All ? Enumerable.Range(0, subjects.TablesBytes.Length * 8) : TablesBitsForCi(subjects.TablesBytes.Length);
        counts.Add(("tables bit flips", Run(tablesBits, bit => subjects.TryTables(Flip(subjects.TablesBytes, bit)))));
        counts.Add(("tables truncations", Run(Lengths(subjects.TablesBytes.Length, 160), n => subjects.TryTables(subjects.TablesBytes[..n]))));

        foreach (var (what, outcomes) in counts)
            report.AppendLine($"{what}: {outcomes.Values.Sum()} tried ({(All ? "all" : "CI selection")}): " + string.Join(", ", Enum.GetValues<DamageOutcome>().Select(o => $"{o} {outcomes.GetValueOrDefault(o)}")));
        output.WriteLine(report.ToString());
        if (Environment.GetEnvironmentVariable("HAMMING_DAMAGE_REPORT") is { Length: > 0 } file) File.WriteAllText(file, report.ToString());
        foreach (var (what, outcomes) in counts)
        {
            Assert.True(outcomes.GetValueOrDefault(DamageOutcome.Wrong) == 0, $"{what}: wrong answers\n{report}");
            Assert.True(outcomes.GetValueOrDefault(DamageOutcome.Crash) == 0, $"{what}: crashes\n{report}\n{DamageSubjects.LastCrash}");
            Assert.True(outcomes.GetValueOrDefault(DamageOutcome.Hang) == 0, $"{what}: hangs\n{report}");
            Assert.True(outcomes.GetValueOrDefault(DamageOutcome.Refused) > 0, $"{what}: nothing was refused\n{report}");
        }
    }

    private static Dictionary<DamageOutcome, int> Run(IEnumerable<int> cases, Func<int, DamageOutcome> trial)
    {
        var outcomes = new Dictionary<DamageOutcome, int>();
        foreach (int c in cases)
        {
            DamageOutcome o = trial(c);
            outcomes[o] = outcomes.GetValueOrDefault(o) + 1;
        }
        return outcomes;
    }

    internal static byte[] Flip(byte[] original, int bit)
    {
        byte[] copy = (byte[])original.Clone();
        copy[bit >> 3] ^= (byte)(1 << (bit & 7));
        return copy;
    }

    /// <summary>Every length up to <paramref name="dense"/>, then every 61st and the last (all of them with HAMMING_DAMAGE_ALL).</summary>
    private static IEnumerable<int> Lengths(int length, int dense) =>
        Enumerable.Range(0, length).Where(n => All || n <= dense || n % 61 == 0 || n == length - 1);

    /// <summary>Every bit of both header slots and of the last block's trailer (its checksum records), and 300 sampled bits elsewhere.</summary>
    private static IEnumerable<int> StoreBitsForCi(int length, StoreFileFormat format)
    {
        var bytes = new SortedSet<int>();
        for (int s = 0; s < 2; s++)
            for (int i = 0; i < StoreFileFormat.HeaderSlotBytes; i++) bytes.Add(StoreFileFormat.HeaderSlotOffset(s) + i);
        long last = (length - StoreFileFormat.HeaderPageBytes) / format.Stride - 1; // the partly filled block: its records are read on open
        for (int i = 0; i < StoreFileFormat.TrailerBytes; i++) bytes.Add((int)(format.BlockOffset(last) + format.TrailerOffset + i));
        var random = new Random(3);
        var bits = new SortedSet<int>(bytes.SelectMany(b => Enumerable.Range(b * 8, 8)));
        while (bits.Count < bytes.Count * 8 + 300) bits.Add(random.Next(length * 8));
        return bits;
    }

    /// <summary>Every bit of the first 160 bytes (the header and its table entries), and 400 sampled bits elsewhere.</summary>
    private static IEnumerable<int> TablesBitsForCi(int length)
    {
        var random = new Random(4);
        var bits = new SortedSet<int>(Enumerable.Range(0, Math.Min(length, 160) * 8));
        while (bits.Count < Math.Min(length * 8, 160 * 8 + 400)) bits.Add(random.Next(length * 8));
        return bits;
    }
}
