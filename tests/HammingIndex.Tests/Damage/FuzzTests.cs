using System.Buffers.Binary;
using System.IO.Hashing;
using FsCheck;
using FsCheck.Fluent;
using HammingIndex.Storage;
using Xunit.Abstractions;

namespace HammingIndex.Tests.Damage;

/// <summary>
/// Byte-mutation fuzzing of the store and tables readers with an FsCheck generator (SharpFuzz needs an
/// instrumented assembly and an external AFL/libFuzzer driver, neither of which is on this machine; an
/// FsCheck generator runs inside xunit, is reproducible from its seed and shrinks a failure to a small
/// mutation list). Each case applies 1..6 mutations (bit flip, byte set, 8-byte word set to an
/// interesting value, insertion, deletion, range copy, truncation) to the intact file; half the cases
/// then recompute the header checksum, so forged header values reach the value checks. Unforged cases
/// must give the intact answers or the specific exception; forged ones may read a different valid
/// store, but never crash or hang. CI runs 300 cases per reader; HAMMING_FUZZ_RUNS sets more
/// (scripts/fuzz.sh), and HAMMING_FUZZ_REPLAY replays a failing step from the seed FsCheck prints.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private static int Runs => int.TryParse(Environment.GetEnvironmentVariable("HAMMING_FUZZ_RUNS"), out int n) ? n : 300;

    public sealed record Mutation(int Kind, int Position, long Value, int Length);

    public sealed record Case(Mutation[] Mutations, bool Forge);

    private static readonly long[] Interesting = [0, 1, -1, 2, 63, 64, 65, 4096, int.MaxValue, int.MinValue, long.MaxValue, long.MinValue, 1L << 32, 150, 121];

    private static readonly Arbitrary<Case> Cases =
        (from count in Gen.Choose(1, 6)
         from mutations in Gen.ArrayOf(
             from kind in Gen.Choose(0, 6)
             from position in Gen.Choose(0, int.MaxValue)
             from value in Gen.OneOf(Gen.Elements(Interesting), Gen.Choose(int.MinValue, int.MaxValue).Select(v => (long)v))
             from length in Gen.Choose(1, 600)
             select new Mutation(kind, position, value, length), count)
         from forge in Gen.Elements(false, true)
         select new Case(mutations, forge)).ToArbitrary();

    internal static byte[] Apply(byte[] original, Case c, Action<byte[]> forge)
    {
        var bytes = new List<byte>(original);
        foreach (Mutation m in c.Mutations)
        {
            if (bytes.Count == 0) break;
            int at = m.Position % bytes.Count;
            switch (m.Kind)
            {
                case 0: bytes[at] ^= (byte)(1 << (int)(m.Value & 7)); break;
                case 1: bytes[at] = (byte)m.Value; break;
                case 2:
                    for (int i = 0; i < 8 && at + i < bytes.Count; i++) bytes[at + i] = (byte)(m.Value >> (8 * i));
                    break;
                case 3: bytes.InsertRange(at, Enumerable.Repeat((byte)m.Value, m.Length)); break;
                case 4: bytes.RemoveRange(at, Math.Min(m.Length, bytes.Count - at)); break;
                case 5:
                    int from = (int)((ulong)m.Value % (ulong)bytes.Count);
                    for (int i = 0; i < m.Length && from + i < bytes.Count && at + i < bytes.Count; i++) bytes[at + i] = bytes[from + i];
                    break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }
        byte[] result = [.. bytes];
        if (c.Forge) forge(result);
        return result;
    }

    /// <summary>Recomputes both store header slots' checksums (as a writer of a forged file would).</summary>
    private static void ForgeStore(byte[] bytes)
    {
        for (int s = 0; s < 2; s++)
        {
            int offset = StoreFileFormat.HeaderSlotOffset(s);
            if (bytes.Length < offset + StoreFileFormat.HeaderSlotBytes) return;
            Span<byte> slot = bytes.AsSpan(offset, StoreFileFormat.HeaderSlotBytes);
            BinaryPrimitives.WriteUInt64LittleEndian(slot[120..], XxHash3.HashToUInt64(slot[..120]));
        }
    }

    /// <summary>Recomputes the tables header's checksum from the m it declares.</summary>
    private static void ForgeTables(byte[] bytes)
    {
        if (bytes.Length < 48) return;
        long m = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16));
        long end = 48 + m * 16;
        if (m < 0 || end + 8 > bytes.Length) return;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((int)end), XxHash3.HashToUInt64(bytes.AsSpan(0, (int)end)));
    }

    [Fact]
    public void FuzzedStoreFilesNeverCrashHangOrAnswerWrong() => Fuzz("store", s => s.StoreBytes, (s, b) => s.TryStore(b), ForgeStore);

    [Fact]
    public void FuzzedTablesFilesNeverCrashHangOrAnswerWrong() => Fuzz("tables", s => s.TablesBytes, (s, b) => s.TryTables(b), ForgeTables);

    private void Fuzz(string reader, Func<DamageSubjects, byte[]> original, Func<DamageSubjects, byte[], DamageOutcome> trial, Action<byte[]> forge)
    {
        using var subjects = new DamageSubjects();
        var counts = new Dictionary<string, int>();
        Property property = Prop.ForAll(Cases, c =>
        {
            DamageOutcome outcome = trial(subjects, Apply(original(subjects), c, forge));
            string key = (c.Forge ? "forged " : "") + outcome;
            counts[key] = counts.GetValueOrDefault(key) + 1;
            return outcome is DamageOutcome.Identical or DamageOutcome.Refused || (c.Forge && outcome == DamageOutcome.Wrong);
        });
        Config config = Config.QuickThrowOnFailure.WithMaxTest(Runs).WithQuietOnSuccess(true);
        // HAMMING_FUZZ_REPLAY=seed,gamma,size replays the failing step FsCheck printed ("Replay directly at failing step with (...)").
        if (Environment.GetEnvironmentVariable("HAMMING_FUZZ_REPLAY") is { Length: > 0 } replay)
        {
            string[] parts = replay.Trim('(', ')', ' ').Split(',', StringSplitOptions.TrimEntries);
            config = config.WithReplay(Microsoft.FSharp.Core.FSharpOption<Replay>.Some(
                new Replay(new Rnd(ulong.Parse(parts[0]), ulong.Parse(parts[1])), Microsoft.FSharp.Core.FSharpOption<int>.Some(int.Parse(parts[2])))));
        }
        Check.One(config, property);
        string report = $"{reader}: {counts.Values.Sum()} executions: " + string.Join(", ", counts.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"));
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("HAMMING_FUZZ_REPORT") is { Length: > 0 } file) File.AppendAllText(file, report + "\n");
        Assert.Equal(0, counts.GetValueOrDefault("Crash") + counts.GetValueOrDefault("forged Crash") + counts.GetValueOrDefault("Hang") + counts.GetValueOrDefault("forged Hang"));
    }
}
