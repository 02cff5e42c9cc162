using HammingIndex.Cli.Tests.IO;
using HammingIndex.Storage;
using HammingIndex.Training.IO;

namespace HammingIndex.Cli.Tests.Commands;

/// <summary>
/// Issue 9, findings 8 and 9: a failing command leaves no new or changed file, outputs are checked
/// before any work, outputs replace their targets whole, and bad values are named clearly.
/// </summary>
public sealed class OutputSafetyTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TwoViewData _data;

    public OutputSafetyTests() => _data = new TwoViewData(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private string[] Files() => Directory.EnumerateFileSystemEntries(_dir.Path).Select(p => Path.GetFileName(p)!).Order().ToArray();

    private string Train(string model, params string[] extra)
    {
        var r = CliRunner.Run(["train", "--images", _data.ImagesTrain, "--texts", _data.TextsTrain, "--labels", _data.LabelsTrain,
            "--bits", "16", "--anchors", "10", "--iterations", "2", "--out", model, .. extra]);
        Assert.True(r.Status == 0, r.Error);
        return model;
    }

    private string Store(string name, int bits = 64, int n = 60)
    {
        string path = _dir.File(name);
        using CodeStore store = CodeStore.Create(path, bits);
        store.AppendRange(RawCodeFileTests.RandomCodes(new Random(n), bits, n), Enumerable.Range(0, n).Select(i => (long)i).ToArray());
        store.Flush();
        return path;
    }

    [Fact]
    public void Train_with_an_unwritable_train_codes_fails_before_training_and_writes_no_model()
    {
        string model = _dir.File("m.model");
        Directory.CreateDirectory(_dir.File("codes-dir"));
        string[] before = Files();
        var r = CliRunner.Run("train", "--images", _data.ImagesTrain, "--texts", _data.TextsTrain, "--labels", _data.LabelsTrain,
            "--bits", "16", "--anchors", "10", "--iterations", "2", "--out", model, "--train-codes", _dir.File("codes-dir"));
        CliRunner.AssertCleanError(r, 1, "--train-codes");
        Assert.Contains("is a directory", r.Error);
        Assert.DoesNotContain("train SCRATCH", r.Out);
        Assert.Equal(before, Files());
    }

    [Fact]
    public void Train_over_an_existing_model_replaces_it_whole()
    {
        string model = Train(_dir.File("m.model"));
        byte[] old = File.ReadAllBytes(model);
        using var reader = new FileStream(model, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Train(model, "--seed", "5", "--overwrite");
        var seen = new byte[old.Length];
        reader.ReadExactly(seen); // written in place, the open file would hold the new model or a torn one
        Assert.Equal(old, seen);
        Assert.NotEqual(old, File.ReadAllBytes(model));
        Assert.DoesNotContain("m.model.tmp", Files());
    }

    [Fact]
    public void Export_whose_ids_cannot_be_written_leaves_no_codes_file()
    {
        string store = Store("s.hstore");
        Directory.CreateDirectory(_dir.File("o.codes.ids"));
        string[] before = Files();
        var r = CliRunner.Run("export", "--store", store, "--out", _dir.File("o.codes"));
        CliRunner.AssertCleanError(r, 1, "is a directory");
        Assert.DoesNotContain("wrote", r.Out);
        Assert.Equal(before, Files());
    }

    [Fact]
    public void Encode_to_raw_codes_whose_ids_cannot_be_written_leaves_no_file()
    {
        string model = Train(_dir.File("m.model"));
        Directory.CreateDirectory(_dir.File("e.codes.ids"));
        string[] before = Files();
        var r = CliRunner.Run("encode", "--model", model, "--modality", "text", "--features", _data.TextsTrain, "--out", _dir.File("e.codes"));
        CliRunner.AssertCleanError(r, 1, "is a directory");
        Assert.Equal(before, Files());
    }

    [Theory]
    [InlineData("e.codes")]
    [InlineData("e.hstore")]
    public void Encode_failing_halfway_keeps_the_file_it_would_overwrite(string output)
    {
        string model = Train(_dir.File("m.model"));
        string path = _dir.File(output);
        Assert.Equal(0, CliRunner.Run("encode", "--model", model, "--modality", "text", "--features", _data.TextsTrain, "--out", path).Status);
        byte[] old = File.ReadAllBytes(path);
        string bad = _dir.File("bad.csv");
        var lines = File.ReadAllLines(_data.TextsTrain);
        lines[90] = string.Join(',', lines[90].Split(',').Select((v, i) => i == 2 ? "oops" : v)); // fails after 89 good rows
        File.WriteAllLines(bad, lines);
        string[] before = Files();
        var r = CliRunner.Run("encode", "--model", model, "--modality", "text", "--features", bad, "--out", path, "--overwrite", "--block-rows", "16");
        CliRunner.AssertCleanError(r, 1, "bad.csv");
        Assert.Equal(old, File.ReadAllBytes(path));
        Assert.Equal(before, Files());
    }

    [Fact]
    public void Search_out_replaces_the_results_whole_and_refuses_a_directory()
    {
        string store = Store("s.hstore");
        string queries = _dir.File("q.codes");
        using (var w = RawCodeWriter.Create(queries, 64, writeIds: false)) { w.Write(RawCodeFileTests.RandomCodes(new Random(1), 64, 3), new long[3]); w.Commit(); }
        string results = _dir.File("r.tsv");
        File.WriteAllText(results, "previous results\n");
        using (var reader = new FileStream(results, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            var r = CliRunner.Run("search", "--store", store, "--queries", queries, "-k", "2", "--out", results, "--overwrite");
            Assert.True(r.Status == 0, r.Error);
            Assert.Equal("previous results\n", new StreamReader(reader).ReadToEnd()); // not written in place
        }
        Assert.Equal(1 + 3 * 2, File.ReadAllLines(results).Length);
        Directory.CreateDirectory(_dir.File("out-dir"));
        CliRunner.AssertCleanError(CliRunner.Run("search", "--store", store, "--queries", queries, "--out", _dir.File("out-dir")), 1, "--out " + _dir.File("out-dir") + ": is a directory");
    }

    [Fact]
    public void Build_with_too_many_substrings_is_refused_before_the_import()
    {
        string input = _dir.File("in.codes");
        using (var w = RawCodeWriter.Create(input, 64)) { w.Write(RawCodeFileTests.RandomCodes(new Random(2), 64, 50), new long[50]); w.Commit(); }
        string[] before = Files();
        var r = CliRunner.Run("build", "--codes", input, "--substrings", "65", "--out", _dir.File("b.hstore"));
        CliRunner.AssertCleanError(r, 1, "--substrings 65");
        Assert.DoesNotContain("live", r.Out);
        Assert.Equal(before, Files());
    }

    [Fact]
    public void Build_leaves_only_the_store_and_its_tables()
    {
        string input = _dir.File("in.codes");
        using (var w = RawCodeWriter.Create(input, 64)) { w.Write(RawCodeFileTests.RandomCodes(new Random(2), 64, 50), new long[50]); w.Commit(); }
        string[] before = Files();
        var r = CliRunner.Run("build", "--codes", input, "--out", _dir.File("b.hstore"));
        Assert.True(r.Status == 0, r.Error);
        Assert.Equal(before.Concat(["b.hstore", "b.hstore.mih"]).Order().ToArray(), Files());
    }

    [Theory]
    [InlineData("--bits", "abc", "a whole number")]
    [InlineData("--substrings", "4.5", "a whole number")]
    [InlineData("--packing", "nibbles", "one of words, bytes")]
    public void An_option_value_that_does_not_convert_is_named_with_what_is_expected(string option, string value, string expected)
    {
        var r = CliRunner.Run("build", "--codes", _dir.File("in.codes"), option, value);
        CliRunner.AssertCleanError(r, 2, $"{option}: '{value}' is not a valid value; expected {expected}");
        Assert.DoesNotContain("Nullable", r.Error);
        CliRunner.AssertCleanError(CliRunner.Run("train", "--images", "a", "--texts", "b", "--labels", "c", "--out", "m", "--lambda=x"), 2, "--lambda: 'x' is not a valid value; expected a number");
    }

    [Fact]
    public void A_directory_given_as_a_store_is_named_as_such()
    {
        string dir = _dir.File("not-a-store");
        Directory.CreateDirectory(dir);
        var ex = Assert.Throws<NotAStoreException>(() => CodeStore.Open(dir));
        Assert.Equal(Path.GetFullPath(dir), ex.FilePath);
        Assert.Contains("is a directory", ex.Message);
        CliRunner.AssertCleanError(CliRunner.Run("export", "--store", dir, "--out", _dir.File("o.codes")), 1, "not-a-store: is a directory");
    }
}
