using HammingIndex.Cli.Tests.IO;
using HammingIndex.Storage;
using HammingIndex.Training.IO;

namespace HammingIndex.Cli.Tests.Commands;

public class BuildExportTests
{
    [Theory]
    [InlineData(64, RawCodePacking.Words, true)]
    [InlineData(100, RawCodePacking.Bytes, false)]
    [InlineData(8, RawCodePacking.Bytes, true)]
    public void Codes_file_to_store_to_codes_file_is_byte_identical(int bits, RawCodePacking packing, bool ids)
    {
        using var dir = new TempDir();
        var rng = new Random(bits);
        ulong[] codes = RawCodeFileTests.RandomCodes(rng, bits, 777);
        long[] idList = Enumerable.Range(0, 777).Select(_ => rng.NextInt64()).ToArray();
        string input = dir.File("in.codes"), store = dir.File("s.hstore"), output = dir.File("out.codes");
        using (var w = RawCodeWriter.Create(input, bits, packing, ids)) { w.Write(codes, idList); w.Commit(); }

        var build = CliRunner.Run("build", "--codes", input, "--bits", bits.ToString(), "--packing", packing.ToString(), "--out", store);
        Assert.True(build.Status == 0, build.Error);
        Assert.Contains("777 live", build.Out);
        Assert.Contains("multi-index: m =", build.Out);
        using (CodeStore s = CodeStore.Open(store))
        {
            Assert.Equal((777L, bits), (s.Count, s.Bits));
            // The saved tables load over the store (Load refuses missing, corrupt or stale tables).
            var tables = HammingIndex.MultiIndex.MultiIndexHash.Load(s, store + HammingIndex.MultiIndex.MultiIndexHash.FileExtension);
            Assert.Equal(777L, tables.IndexedCount);
        }

        string[] exportArgs = ["export", "--store", store, "--out", output, "--packing", packing.ToString()];
        var export = CliRunner.Run(ids ? exportArgs : [.. exportArgs, "--no-ids"]);
        Assert.True(export.Status == 0, export.Error);
        Assert.Equal(File.ReadAllBytes(input), File.ReadAllBytes(output));
        if (!ids) return;
        Assert.Equal(File.ReadAllBytes(RawCodeFile.IdsPathFor(input)), File.ReadAllBytes(RawCodeFile.IdsPathFor(output)));
    }

    [Fact]
    public void Export_skips_deleted_codes()
    {
        using var dir = new TempDir();
        string path = dir.File("d.hstore");
        var rng = new Random(3);
        ulong[] codes = RawCodeFileTests.RandomCodes(rng, 64, 10);
        using (CodeStore s = CodeStore.Create(path, 64))
        {
            s.AppendRange(codes, Enumerable.Range(0, 10).Select(i => (long)i).ToArray());
            s.Delete(4);
            s.Flush();
        }
        var r = CliRunner.Run("export", "--store", path, "--out", dir.File("o.codes"));
        Assert.True(r.Status == 0, r.Error);
        Assert.Equal(RawCodeHeader.Size + 9 * 8, new FileInfo(dir.File("o.codes")).Length);
        Assert.Equal(codes.Where((_, i) => i != 4).SelectMany(BitConverter.GetBytes).ToArray(), File.ReadAllBytes(dir.File("o.codes"))[RawCodeHeader.Size..]);
    }

    [Fact]
    public void Bad_inputs_give_one_line_and_status_1()
    {
        using var dir = new TempDir();
        string input = dir.File("in.codes");
        File.WriteAllBytes(input, new byte[8 * 3]);
        CliRunner.AssertCleanError(CliRunner.Run("build", "--codes", input), 1, "give its code length with --bits");
        CliRunner.AssertCleanError(CliRunner.Run("build", "--codes", input, "--bits", "128"), 1, "leave 8 over");
        CliRunner.AssertCleanError(CliRunner.Run("build", "--codes", input, "--bits", "5000"), 1, "between 8 and 4096");
        string notStore = dir.File("x.hstore");
        File.WriteAllText(notStore, "definitely not a store file, just text");
        CliRunner.AssertCleanError(CliRunner.Run("export", "--store", notStore, "--out", dir.File("o.codes")), 1, "x.hstore");
        Assert.True(CliRunner.Run("build", "--codes", input, "--bits", "64").Status == 0);
        CliRunner.AssertCleanError(CliRunner.Run("build", "--codes", input, "--bits", "64"), 1, "already exists; give --overwrite");
        CliRunner.AssertCleanError(CliRunner.Run("build", "--codes", dir.File("in.hstore"), "--bits", "32"), 1, "holds 64-bit codes, but --bits 32");
    }
}
