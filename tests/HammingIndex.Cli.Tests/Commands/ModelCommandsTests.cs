using System.Text.Json;
using System.Text.RegularExpressions;
using HammingIndex.Cli.Tests.IO;
using HammingIndex.Codes;
using HammingIndex.Kernels;
using HammingIndex.Storage;
using HammingIndex.Training;
using HammingIndex.Training.IO;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Cli.Tests.Commands;

/// <summary>train, encode, search with features, eval on a small synthetic two-view set written in several formats.</summary>
public sealed class ModelCommandsTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TwoViewData _data;
    private readonly string _model;
    private readonly string _trainCodes;

    public ModelCommandsTests()
    {
        _data = new TwoViewData(_dir.Path);
        _model = _dir.File("m.model");
        _trainCodes = _dir.File("b.codes");
        var r = CliRunner.Run("train", "--images", _data.ImagesTrain, "--texts", _data.TextsTrain, "--labels", _data.LabelsTrain,
            "--bits", "16", "--anchors", "20", "--iterations", "5", "--out", _model, "--train-codes", _trainCodes);
        Assert.True(r.Status == 0, r.Error);
    }

    public void Dispose() => _dir.Dispose();

    private static ulong[] Codes(ScratchModel model, bool images, FeatureMatrix m) =>
        images ? model.EncodeImages(m) : model.EncodeTexts(m);

    [Fact]
    public void Train_writes_a_loadable_model_with_the_options_and_the_training_codes()
    {
        ScratchModel model = ScratchModel.Load(_model);
        Assert.Equal(16, model.Bits);
        Assert.Equal(20, model.Options.Anchors);
        Assert.Equal(5, model.Options.Iterations);
        Assert.Equal((TwoViewData.ImageDim, TwoViewData.TextDim), (model.ImageMap.InputDimension, model.TextMap.InputDimension));
        Assert.Equal(RawCodeHeader.Size + 120L * 8, new FileInfo(_trainCodes).Length);
        RawCodeHeader header = RawCodeHeader.Read(File.ReadAllBytes(_trainCodes).AsSpan(0, RawCodeHeader.Size), new FileInfo(_trainCodes).Length, _trainCodes);
        Assert.Equal((16, 120L, model.Fingerprint, true), (header.Bits, header.Count, header.ModelFingerprint, header.HasIds));
    }

    [Theory]
    [InlineData("text", "t.hstore", 4096)]
    [InlineData("image", "i.codes", 7)]
    public void Encode_streams_rows_into_the_codes_the_model_gives(string modality, string output, int blockRows)
    {
        string path = _dir.File(output);
        var r = CliRunner.Run("encode", "--model", _model, "--modality", modality, "--features", modality == "text" ? _data.TextsTrain : _data.ImagesTrain,
            "--out", path, "--first-id", "100", "--block-rows", blockRows.ToString());
        Assert.True(r.Status == 0, r.Error);
        ulong[] expected = Codes(ScratchModel.Load(_model), modality == "image", modality == "text" ? _data.TrainTexts : _data.TrainImages);
        var got = new List<ulong>();
        var ids = new List<long>();
        if (output.EndsWith(".hstore"))
        {
            using CodeStore store = CodeStore.Open(path);
            using var snap = store.AcquireSnapshot();
            for (long p = 0; p < snap.Count; p++) { got.AddRange(snap.GetCode(p)); ids.Add(snap.GetId(p)); }
        }
        else
        {
            byte[] bytes = File.ReadAllBytes(path);
            for (int i = RawCodeHeader.Size; i < bytes.Length; i += 8) got.Add(BitConverter.ToUInt64(bytes, i));
            byte[] idBytes = File.ReadAllBytes(RawCodeFile.IdsPathFor(path));
            for (int i = 0; i < idBytes.Length; i += 8) ids.Add(BitConverter.ToInt64(idBytes, i));
        }
        Assert.Equal(expected, got);
        Assert.Equal(Enumerable.Range(100, 120).Select(i => (long)i), ids);
    }

    [Theory]
    [InlineData(".tsv")]
    [InlineData(".bvecs")]
    [InlineData(".ivecs")]
    [InlineData(".npy")]
    public void Encode_reads_every_feature_format(string extension)
    {
        // Integral values so that .bvecs/.ivecs hold them exactly.
        var rounded = new FeatureMatrix(_data.TrainTexts.Rows, _data.TrainTexts.Columns);
        for (int i = 0; i < rounded.Values.Length; i++) rounded.Values[i] = Math.Round(_data.TrainTexts.Values[i] * 10);
        string input = _dir.File("rounded" + extension), output = _dir.File("rounded" + extension + ".codes");
        FeatureFiles.Write(input, rounded);
        var r = CliRunner.Run("encode", "--model", _model, "--modality", "text", "--features", input, "--out", output);
        Assert.True(r.Status == 0, r.Error);
        byte[] bytes = File.ReadAllBytes(output);
        ulong[] got = Enumerable.Range(0, (bytes.Length - RawCodeHeader.Size) / 8).Select(i => BitConverter.ToUInt64(bytes, RawCodeHeader.Size + i * 8)).ToArray();
        Assert.Equal(Codes(ScratchModel.Load(_model), false, rounded), got);
    }

    [Fact]
    public void Search_with_query_features_equals_a_sort_over_the_encoded_database()
    {
        string store = _dir.File("texts.hstore");
        Assert.Equal(0, CliRunner.Run("encode", "--model", _model, "--modality", "text", "--features", _data.TextsTrain, "--out", store).Status);
        var r = CliRunner.Run("search", "--store", store, "--model", _model, "--modality", "image", "--queries", _data.ImagesTest, "-k", "7", "--format", "json");
        Assert.True(r.Status == 0, r.Error);
        ScratchModel model = ScratchModel.Load(_model);
        ulong[] db = Codes(model, false, _data.TrainTexts), queries = Codes(model, true, _data.TestImages);
        string[] lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(40, lines.Length);
        for (int q = 0; q < 40; q++)
        {
            var expected = Enumerable.Range(0, 120).Select(i => (Id: (long)i, D: HammingKernels.Distance(queries.AsSpan(q, 1), db.AsSpan(i, 1))))
                .OrderBy(p => p.D).ThenBy(p => p.Id).Take(7).ToArray();
            using var doc = JsonDocument.Parse(lines[q]);
            var got = doc.RootElement.GetProperty("results").EnumerateArray().Select(e => (e.GetProperty("id").GetInt64(), e.GetProperty("distance").GetInt32())).ToArray();
            Assert.Equal(expected, got);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Eval_prints_both_directions_for_both_methods_and_writes_readable_pngs(bool trainingCodes)
    {
        string plots = _dir.File("plots" + trainingCodes);
        var args = new List<string> { "eval", "--model", _model, "--data", _dir.Path, "--plots", plots, "--tsne-samples", "60" };
        if (trainingCodes) args.AddRange(["--database-codes", _trainCodes]);
        var r = CliRunner.Run([.. args]);
        Assert.True(r.Status == 0, r.Error);
        string flowed = Regex.Replace(r.Out, @"\s+", " "); // the console wraps long lines
        Assert.Contains(trainingCodes ? "scored with both databases" : "give --database-codes for the authors' protocol", flowed);
        var maps = new Dictionary<string, double>();
        foreach (Match m in Regex.Matches(r.Out, @"│ (SCRATCH|LSH)\s*│ (training codes|encoded database)\s*│ (I->T|T->I)\s*│ ([0-9.]+)"))
            maps[$"{m.Groups[1].Value} {m.Groups[2].Value} {m.Groups[3].Value}"] = double.Parse(m.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture);
        // SCRATCH under both protocols when B is given (training codes first), LSH under the encoded database only.
        Assert.Equal(trainingCodes ? 6 : 4, maps.Count);
        Assert.Equal(trainingCodes, maps.ContainsKey("SCRATCH training codes I->T"));
        foreach (string d in new[] { "I->T", "T->I" })
            Assert.True(maps[$"SCRATCH encoded database {d}"] > maps[$"LSH encoded database {d}"], r.Out);
        foreach (string name in new[] { "pr.png", "precision_at_n.png", "tsne.png" })
        {
            byte[] png = File.ReadAllBytes(Path.Combine(plots, name));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Equal(name == "tsne.png" ? 1100 : 900, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
            Assert.Equal(650, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        }
    }

    [Fact]
    public void Tune_writes_the_chosen_model_and_a_table_of_every_trial()
    {
        string model = _dir.File("tuned.model"), trials = _dir.File("tuned.md"), codes = _dir.File("tuned.codes");
        var r = CliRunner.Run("tune", "--images", _data.ImagesTrain, "--texts", _data.TextsTrain, "--labels", _data.LabelsTrain, "--bits", "16",
            "--budget", "10m", "--max-trials", "3", "--seed", "4", "--out", model, "--trials", trials, "--train-codes", codes);
        Assert.True(r.Status == 0, r.Error);
        string table = File.ReadAllText(trials);
        Assert.Equal(3, Regex.Matches(table, @"^\| \d+ \((defaults|random|local)\)", RegexOptions.Multiline).Count);
        Match chosen = Regex.Match(table, @"^\| (\d+) \(\w+\) \*\*chosen\*\* \| ([^|]+) \| ([^|]+) \|", RegexOptions.Multiline);
        Assert.True(chosen.Success, table);
        ScratchModel tuned = ScratchModel.Load(model);
        Assert.Equal(16, tuned.Bits);
        Assert.Equal(chosen.Groups[2].Value.Trim(), tuned.Options.Mu.ToString("G3", System.Globalization.CultureInfo.InvariantCulture));
        // The trials score the joint functions; the model is trained with the validated default, which records its choice.
        Assert.Equal(3, Regex.Matches(table, @"^\| \d+ \(\w+\)(?: \*\*chosen\*\*)? \|(?:[^|]+\|){6} joint \|", RegexOptions.Multiline).Count);
        Assert.Contains("with the validated hash functions (the trials scored the joint ones)", table);
        Assert.NotEqual(ScratchHashFunctions.Validated, tuned.HashFunctions);
        Assert.True(tuned.HasCodeRegression);
        Assert.Equal(HammingIndex.Training.IO.RawCodeHeader.Size + 120L * 8, new FileInfo(codes).Length);
    }

    [Theory]
    [InlineData("--budget", "soon", "--budget 'soon' is not a duration")]
    [InlineData("--protocol", "mine", "--protocol must be training-codes or encoded")]
    public void Tune_refuses_bad_settings(string option, string value, string message)
    {
        var r = CliRunner.Run("tune", "--images", _data.ImagesTrain, "--texts", _data.TextsTrain, "--labels", _data.LabelsTrain, "--out", _dir.File("x.model"), option, value);
        Assert.NotEqual(0, r.Status);
        Assert.Contains(message, r.Error + r.Out);
    }

    [Fact]
    public void Model_for_another_bit_count_is_refused()
    {
        string store = _dir.File("w64.hstore");
        using (var s = CodeStore.Create(store, 64)) s.Flush();
        var r = CliRunner.Run("search", "--store", store, "--model", _model, "--modality", "image", "--queries", _data.ImagesTest);
        CliRunner.AssertCleanError(r, 1, "is a 16-bit model, but");
    }

    [Fact]
    public void Features_of_the_wrong_width_and_wrong_modality_are_refused()
    {
        var r = CliRunner.Run("encode", "--model", _model, "--modality", "image", "--features", _data.TextsTrain, "--out", _dir.File("x.hstore"));
        CliRunner.AssertCleanError(r, 1, "rows have 5 values, but the model's image side expects 8");
        Assert.False(File.Exists(_dir.File("x.hstore")));
        CliRunner.AssertCleanError(CliRunner.Run("encode", "--model", _model, "--modality", "audio", "--features", _data.TextsTrain, "--out", _dir.File("y.hstore")), 1, "--modality must be image or text");
    }

    [Fact]
    public void NaN_features_name_the_file_row_and_column()
    {
        string bad = _dir.File("bad.csv");
        File.WriteAllText(bad, string.Join('\n', Enumerable.Range(0, 120).Select(i => i == 41 ? "1,2,NaN,4,5" : "1,2,3,4,5")));
        var r = CliRunner.Run("train", "--images", _data.ImagesTrain, "--texts", bad, "--labels", _data.LabelsTrain, "--bits", "16", "--anchors", "20", "--out", _dir.File("n.model"));
        CliRunner.AssertCleanError(r, 1, "bad.csv: row 42, column 3: value NaN on line 42 is not a finite number");
        var e = CliRunner.Run("encode", "--model", _model, "--modality", "text", "--features", bad, "--out", _dir.File("n.hstore"));
        CliRunner.AssertCleanError(e, 1, "row 42, column 3");
    }

    [Fact]
    public void Training_files_of_different_lengths_and_missing_files_are_refused()
    {
        var r = CliRunner.Run("train", "--images", _data.ImagesTest, "--texts", _data.TextsTrain, "--labels", _data.LabelsTrain, "--out", _dir.File("x.model"));
        CliRunner.AssertCleanError(r, 1, "row counts disagree");
        CliRunner.AssertCleanError(CliRunner.Run("train", "--images", _dir.File("none.npy"), "--texts", _data.TextsTrain, "--labels", _data.LabelsTrain, "--out", _dir.File("x.model")), 1, "none.npy: no such file");
        CliRunner.AssertCleanError(CliRunner.Run("eval", "--model", _dir.File("none.model"), "--data", _dir.Path), 1, "none.model: no such model file");
        File.WriteAllText(_dir.File("garbage.model"), "not a model");
        CliRunner.AssertCleanError(CliRunner.Run("eval", "--model", _dir.File("garbage.model"), "--data", _dir.Path), 1, "garbage.model");
        CliRunner.AssertCleanError(CliRunner.Run("train", "--images", _data.ImagesTrain, "--texts", _data.TextsTrain, "--labels", _data.LabelsTrain, "--bits", "5000", "--out", _dir.File("x.model")), 1, "bad training option");
    }
}
