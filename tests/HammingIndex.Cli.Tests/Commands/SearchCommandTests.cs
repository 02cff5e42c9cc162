using System.Text.Json;
using HammingIndex.Cli.Tests.IO;
using HammingIndex.Codes;
using HammingIndex.Kernels;
using HammingIndex.Training.IO;

namespace HammingIndex.Cli.Tests.Commands;

public class SearchCommandTests
{
    private static (string Db, string Queries, ulong[] Codes, long[] Ids, ulong[] QueryCodes) Files(TempDir dir, int bits, int n, int q)
    {
        var rng = new Random(bits * 7 + n);
        ulong[] codes = RawCodeFileTests.RandomCodes(rng, bits, n);
        long[] ids = Enumerable.Range(0, n).Select(i => 1000L + 3 * i).ToArray();
        ulong[] queries = RawCodeFileTests.RandomCodes(rng, bits, q);
        string db = dir.File("db.codes"), qs = dir.File("q.codes");
        using (var w = RawCodeWriter.Create(db, bits)) { w.Write(codes, ids); w.Commit(); }
        using (var w = RawCodeWriter.Create(qs, bits, writeIds: false)) { w.Write(queries, new long[q]); w.Commit(); }
        return (db, qs, codes, ids, queries);
    }

    /// <summary>Reference: all (id, distance) sorted by distance then id.</summary>
    private static (long Id, int Distance)[] Ranked(ulong[] codes, long[] ids, ReadOnlySpan<ulong> query)
    {
        ulong[] q = query.ToArray();
        int words = q.Length;
        return ids.Select((id, i) => (id, HammingKernels.Distance(q, codes.AsSpan(i * words, words))))
            .OrderBy(p => p.Item2).ThenBy(p => p.id).ToArray();
    }

    [Theory]
    [InlineData("scan", 64, false)]
    [InlineData("auto", 64, false)]
    [InlineData("mih", 100, false)]
    [InlineData("scan", 100, true)]
    [InlineData("auto", 64, true)]
    [InlineData("mih", 64, true)]
    public void Top_k_tsv_matches_a_sort_of_all_distances(string path, int bits, bool batch)
    {
        using var dir = new TempDir();
        var (db, qs, codes, ids, queries) = Files(dir, bits, 300, 4);
        string[] args = ["search", "--store", db, "--bits", bits.ToString(), "--queries", qs, "-k", "5", "--path", path];
        var result = CliRunner.Run(batch ? [.. args, "--batch"] : args);
        Assert.True(result.Status == 0, result.Error);
        string[] lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("query\tquery_id\trank\tid\tdistance\tpath\tcandidates\tmicroseconds", lines[0]);
        Assert.Equal(1 + 4 * 5, lines.Length);
        int words = new CodeLayout(bits).WordsPerCode;
        for (int q = 0; q < 4; q++)
        {
            var expected = Ranked(codes, ids, queries.AsSpan(q * words, words)).Take(5).ToArray();
            var got = lines.Skip(1).Select(l => l.Split('\t')).Where(f => f[0] == q.ToString())
                .Select(f => (long.Parse(f[3]), int.Parse(f[4]))).ToArray();
            Assert.Equal(expected, got);
        }
        Assert.All(lines.Skip(1), l => Assert.Contains(l.Split('\t')[5], new[] { "scan", "mih" }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(28)]
    [InlineData(64)]
    public void Radius_json_lines_match_a_filter(int radius)
    {
        using var dir = new TempDir();
        var (db, qs, codes, ids, queries) = Files(dir, 64, 200, 3);
        var result = CliRunner.Run("search", "--store", db, "--bits", "64", "--queries", qs, "--radius", radius.ToString(), "--format", "json");
        Assert.True(result.Status == 0, result.Error);
        string[] lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        for (int q = 0; q < 3; q++)
        {
            using JsonDocument doc = JsonDocument.Parse(lines[q]);
            var root = doc.RootElement;
            Assert.Equal(q, root.GetProperty("query").GetInt32());
            Assert.Contains(root.GetProperty("path").GetString(), new[] { "scan", "mih" });
            Assert.True(root.GetProperty("microseconds").GetDouble() >= 0);
            var got = root.GetProperty("results").EnumerateArray().Select(e => (e.GetProperty("id").GetInt64(), e.GetProperty("distance").GetInt32())).ToArray();
            var expected = Ranked(codes, ids, queries.AsSpan(q, 1)).Where(p => p.Distance <= radius).ToArray();
            Assert.Equal(expected, got);
        }
    }

    [Fact]
    public void Missing_store_file_is_one_clean_line()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("search", "--store", dir.File("nope.codes"), "--bits", "64", "--queries", dir.File("q.codes"));
        CliRunner.AssertCleanError(r, 1, "nope.codes: no such file");
    }

    [Fact]
    public void Codes_of_another_length_are_refused()
    {
        using var dir = new TempDir();
        var (db, qs, _, _, _) = Files(dir, 64, 10, 2);
        File.WriteAllBytes(qs, new byte[12]); // 1.5 codes of 64 bits
        var r = CliRunner.Run("search", "--store", db, "--bits", "64", "--queries", qs);
        CliRunner.AssertCleanError(r, 1, "truncated");
    }

    [Fact]
    public void Radius_beyond_the_code_length_and_bad_k_are_refused()
    {
        using var dir = new TempDir();
        var (db, qs, _, _, _) = Files(dir, 64, 10, 2);
        CliRunner.AssertCleanError(CliRunner.Run("search", "--store", db, "--bits", "64", "--queries", qs, "--radius", "65"), 1, "--radius 65 is more than the code length 64");
        CliRunner.AssertCleanError(CliRunner.Run("search", "--store", db, "--bits", "64", "--queries", qs, "-k", "0"), 2, "--top-k must be at least 1");
    }

    [Fact]
    public void Verbose_prints_the_stack_trace()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("search", "--store", dir.File("x.codes"), "--bits", "64", "--queries", dir.File("q.codes"), "--verbose");
        Assert.Equal(1, r.Status);
        Assert.Contains("   at ", r.Error);
    }
}
