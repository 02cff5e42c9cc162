using HammingIndex.Cli.Tests.IO;
using HammingIndex.Storage;
using HammingIndex.Training;
using HammingIndex.Training.CrossModal;
using HammingIndex.Training.IO;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Cli.Tests.Commands;

/// <summary>
/// Issue 9, findings 10 and 11: code files say their length and model, and are refused with codes
/// or models they do not belong to; stores are recognised by content; malformed model and feature files are refused.
/// </summary>
public sealed class CodeFileIdentityTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TwoViewData _data;
    private readonly string _model;
    private readonly string _trainCodes;

    public CodeFileIdentityTests()
    {
        _data = new TwoViewData(_dir.Path);
        _model = _dir.File("m.model");
        _trainCodes = _dir.File("b.codes");
        Train(_model, "16", "1", "--train-codes", _trainCodes);
    }

    public void Dispose() => _dir.Dispose();

    private void Train(string model, string bits, string seed, params string[] extra)
    {
        var r = CliRunner.Run(["train", "--images", _data.ImagesTrain, "--texts", _data.TextsTrain, "--labels", _data.LabelsTrain,
            "--bits", bits, "--anchors", "10", "--iterations", "2", "--seed", seed, "--out", model, .. extra]);
        Assert.True(r.Status == 0, r.Error);
    }

    private string[] Eval(string model, string codes) => ["eval", "--model", model, "--data", _dir.Path, "--no-plots", "--database-codes", codes];

    [Fact]
    public void Eval_refuses_training_codes_of_another_model()
    {
        Assert.Equal(0, CliRunner.Run(Eval(_model, _trainCodes)).Status);
        string other = _dir.File("other.model");
        Train(other, "16", "2"); // same length, other model
        CliRunner.AssertCleanError(CliRunner.Run(Eval(other, _trainCodes)), 1, "holds codes of another model than");
    }

    [Fact]
    public void Codes_of_another_length_are_refused_with_a_model_or_a_store()
    {
        string wide = _dir.File("wide.model");
        Train(wide, "64", "1");
        CliRunner.AssertCleanError(CliRunner.Run(Eval(wide, _trainCodes)), 1, "holds 16-bit codes");

        string store = _dir.File("s.hstore");
        using (CodeStore s = CodeStore.Create(store, 64))
        {
            s.AppendRange(RawCodeFileTests.RandomCodes(new Random(1), 64, 40), Enumerable.Range(0, 40).Select(i => (long)i).ToArray());
            s.Flush();
        }
        // 120 16-bit codes are 1,920 bytes, a whole number of 64-bit codes: without a header they were read as 30 of them.
        CliRunner.AssertCleanError(CliRunner.Run("search", "--store", store, "--queries", _trainCodes), 1, "holds 16-bit codes, but");
    }

    [Fact]
    public void Search_refuses_query_features_encoded_by_another_model_than_the_codes()
    {
        string other = _dir.File("other.model");
        Train(other, "16", "2");
        CliRunner.AssertCleanError(CliRunner.Run("search", "--store", _trainCodes, "--queries", _data.TextsTest, "--model", other, "--modality", "text"),
            1, "holds codes of another model than");
        var same = CliRunner.Run("search", "--store", _trainCodes, "--queries", _data.TextsTest, "--model", _model, "--modality", "text", "-k", "3");
        Assert.True(same.Status == 0, same.Error);
    }

    [Fact]
    public void Headerless_codes_are_imported_only_with_explicit_bits()
    {
        string plain = _dir.File("plain.codes");
        ulong[] codes = RawCodeFileTests.RandomCodes(new Random(3), 64, 30);
        File.WriteAllBytes(plain, codes.SelectMany(BitConverter.GetBytes).ToArray());
        CliRunner.AssertCleanError(CliRunner.Run("build", "--codes", plain), 1, "without a header: give its code length with --bits");
        var r = CliRunner.Run("build", "--codes", plain, "--bits", "64");
        Assert.True(r.Status == 0, r.Error);
        using CodeStore store = CodeStore.Open(_dir.File("plain.hstore"));
        Assert.Equal(30, store.Count);
    }

    [Fact]
    public void A_CrossModalIndex_store_is_searched_by_its_content_whatever_its_name()
    {
        ScratchModel model = ScratchModel.Load(_model);
        string index = _dir.File("index");
        using (CrossModalIndex cross = CrossModalIndex.Create(model, index))
        {
            cross.Add(Modality.Image, _data.TrainImages, Enumerable.Range(0, _data.TrainImages.Rows).Select(i => (long)i).ToArray());
            cross.Save();
        }
        string store = Path.Combine(index, "image" + CodeFiles.StoreExtension);
        Assert.True(File.Exists(store));
        var r = CliRunner.Run("search", "--store", store, "--queries", _data.TextsTest, "--model", _model, "--modality", "text", "-k", "5");
        Assert.True(r.Status == 0, r.Error);
        Assert.Equal(1 + _data.TestTexts.Rows * 5, r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // A store under the raw-code extension (as CrossModalIndex used to name them) is still a store.
        string legacy = Path.Combine(index, "legacy.codes");
        File.Copy(store, legacy);
        var old = CliRunner.Run("search", "--store", legacy, "--queries", _data.TextsTest, "--model", _model, "--modality", "text", "-k", "5", "--bits", "16");
        Assert.True(old.Status == 0, old.Error);
        Assert.Equal(r.Out.Split('\n').Select(l => string.Join('\t', l.Split('\t').Take(5))), old.Out.Split('\n').Select(l => string.Join('\t', l.Split('\t').Take(5))));
    }

    [Fact]
    public void A_model_with_trailing_bytes_and_a_3D_npy_are_refused()
    {
        string padded = _dir.File("padded.model");
        File.WriteAllBytes(padded, [.. File.ReadAllBytes(_model), 0, 0, 0, 0]);
        CliRunner.AssertCleanError(CliRunner.Run("encode", "--model", padded, "--modality", "text", "--features", _data.TextsTrain, "--out", _dir.File("x.codes")),
            1, "bytes past its end");
        Assert.False(File.Exists(_dir.File("x.codes")));

        string cube = _dir.File("cube.npy");
        using (var stream = File.Create(cube))
        {
            NpyFile.WriteHeader(stream, NpyDType.Float64, [60, 4, 2]);
            stream.Write(new byte[60 * 8 * 8]);
        }
        CliRunner.AssertCleanError(CliRunner.Run("encode", "--model", _model, "--modality", "image", "--features", cube, "--out", _dir.File("y.codes")),
            1, "shape (60, 4, 2)");
    }
}
