using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace HammingIndex.Training.Tests.Fuzzing;

/// <summary>
/// One edit of a file's bytes. Positions are fractions (of a million) of the length at the time of
/// the edit, so a generated edit applies to any file.
/// </summary>
internal sealed record ByteMutation(string Kind, int Where, int Count, byte[] Data)
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x2C, 0x0A, 0x09, 0x20, 0x2D, 0x2E, 0x30, 0x39, 0x65];

    private static readonly long[] InterestingWords = [0, 1, -1, 2, 8, 64, 255, 4096, int.MaxValue, int.MinValue, (long)int.MaxValue + 1, uint.MaxValue, long.MaxValue, long.MinValue, 1L << 40];

    private static readonly string[] TextTokens = [",", "\t", "\n", "\r\n", "\"", "-", "+", ".", "e", "e999", "-1e-400", "NaN", "inf", "-Infinity", " ", "\0", "0x1F", "1,2", "99999999999999999999999", "#", "\u00e9", "\n\n\n"];

    public override string ToString() => $"{Kind}@{Where / 10_000.0:F2}%x{Count}{(Data.Length > 0 ? "[" + Convert.ToHexString(Data) + "]" : "")}";

    /// <summary>One to four edits; text formats also get inserted separators, signs, NaN and long numbers.</summary>
    public static Gen<ByteMutation[]> Edits(bool text)
    {
        Gen<int> place = Gen.Choose(0, 999_999);
        Gen<byte[]> randomBytes = Gen.Choose(1, 16).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));
        var kinds = new List<(int, Gen<ByteMutation>)>
        {
            (30, from w in place from bit in Gen.Choose(0, 7) select new ByteMutation("flip", w, bit, [])),
            (15, from w in place from b in Gen.Elements(InterestingBytes) select new ByteMutation("set", w, 1, [b])),
            (10, from w in place from v in Gen.Elements(InterestingWords) from size in Gen.Elements(4, 8) select new ByteMutation("word", w, size, BitConverter.GetBytes(v)[..size])),
            (10, from w in place select new ByteMutation("truncate", w, 0, [])),
            (10, from w in place from data in randomBytes select new ByteMutation("insert", w, 0, data)),
            (10, from w in place from n in Gen.Choose(1, 32) select new ByteMutation("delete", w, n, [])),
            (5, from w in place from n in Gen.Choose(1, 64) select new ByteMutation("duplicate", w, n, [])),
        };
        if (text) kinds.Add((30, from w in place from token in Gen.Elements(TextTokens) select new ByteMutation("insert", w, 0, Encoding.UTF8.GetBytes(token))));
        return Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Gen.Frequency(kinds), n));
    }

    /// <summary>The bytes after every edit of <paramref name="edits"/>.</summary>
    public static byte[] Apply(byte[] original, IEnumerable<ByteMutation> edits)
    {
        var bytes = new List<byte>(original);
        foreach (ByteMutation e in edits)
        {
            int at = bytes.Count == 0 ? 0 : (int)((long)e.Where * bytes.Count / 1_000_000);
            switch (e.Kind)
            {
                case "flip" when bytes.Count > 0: bytes[at] ^= (byte)(1 << e.Count); break;
                case "set" or "word" when bytes.Count > 0:
                    for (int i = 0; i < e.Data.Length && at + i < bytes.Count; i++) bytes[at + i] = e.Data[i];
                    break;
                case "truncate": bytes.RemoveRange(at, bytes.Count - at); break;
                case "insert": bytes.InsertRange(at, e.Data); break;
                case "delete" when bytes.Count > 0: bytes.RemoveRange(at, Math.Min(e.Count, bytes.Count - at)); break;
                case "duplicate" when bytes.Count > 0: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(e.Count, bytes.Count - at))); break;
            }
        }
        return [.. bytes];
    }
}
