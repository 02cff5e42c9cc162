using HammingIndex.Codes;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.Tests.Scratch;

public class ScratchModelTests
{
    private static readonly PairedData Data = PairedData.Create(320, 6, 4, 3, seed: 4);
    private static readonly PairedData Fresh = PairedData.Create(50, 6, 4, 3, seed: 5);

    private static ScratchTrainingResult Train(int bits) =>
        ScratchTrainer.Train(Data.Image, Data.Text, Data.Labels, new ScratchOptions { Bits = bits, Anchors = 30, Iterations = 4, Seed = 9, HashFunctions = ScratchHashFunctions.Joint });

    [Theory]
    [InlineData(5)]
    [InlineData(64)]
    [InlineData(70)]
    public void CodesAreTheSignsOfTheRotatedProjectionPackedBitByBit(int bits)
    {
        var model = Train(bits).Model;
        ulong[] codes = model.EncodeImages(Fresh.Image);
        Assert.Equal(Math.Max(8, bits), model.Layout.Bits);
        Assert.Equal(Fresh.Image.Rows, model.Layout.ValidateCodes(codes));
        double[] phi = model.ImageMap.Transform(Fresh.Image);
        int a = model.ImageMap.AnchorCount, words = model.Layout.WordsPerCode;
        ReadOnlySpan<double> wxT = model.ImageWeightsTransposed, r = model.Rotation;
        for (int i = 0; i < Fresh.Image.Rows; i++)
        {
            // h = R (Wx phi), bit q = 1 when h_q >= 0.
            var projected = new double[bits];
            for (int q = 0; q < bits; q++)
                for (int j = 0; j < a; j++) projected[q] += wxT[j * bits + q] * phi[i * a + j];
            for (int p = 0; p < bits; p++)
            {
                double h = 0;
                for (int q = 0; q < bits; q++) h += r[p * bits + q] * projected[q];
                bool bit = ((codes[i * words + p / 64] >> (p % 64)) & 1) == 1;
                if (Math.Abs(h) > 1e-9) Assert.Equal(h >= 0, bit);
            }
        }
    }

    [Fact]
    public void ASavedAndLoadedModelEncodesIdentically()
    {
        var model = Train(24).Model;
        var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = ScratchModel.Load(stream);
        Assert.Equal(model.Options with { }, loaded.Options);
        Assert.Equal(model.EncodeImages(Fresh.Image), loaded.EncodeImages(Fresh.Image));
        Assert.Equal(model.EncodeTexts(Fresh.Text), loaded.EncodeTexts(Fresh.Text));

        string path = Path.Combine(Path.GetTempPath(), $"scratch-{Guid.NewGuid():N}.model");
        try
        {
            model.Save(path);
            Assert.Equal(model.EncodeTexts(Data.Text), ScratchModel.Load(path).EncodeTexts(Data.Text));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TrainingCodesAreTheCodesOfB()
    {
        var result = Train(16);
        var layout = new CodeLayout(16);
        Assert.Equal(Data.Image.Rows, layout.ValidateCodes(result.TrainingCodes));
        // Training codes B approximate both hash functions on the training rows (they were fitted to them).
        ulong[] images = result.Model.EncodeImages(Data.Image);
        int agreeing = 0;
        for (int i = 0; i < images.Length; i++) agreeing += 16 - System.Numerics.BitOperations.PopCount((images[i] ^ result.TrainingCodes[i]) & 0xFFFF);
        Assert.True(agreeing > 0.8 * 16 * images.Length, $"only {agreeing} of {16 * images.Length} bits agree");
    }

    private static byte[] Saved()
    {
        var stream = new MemoryStream();
        Train(16).Model.Save(stream);
        return stream.ToArray();
    }

    private static ModelFormatException LoadFails(byte[] bytes) =>
        Assert.Throws<ModelFormatException>(() => ScratchModel.Load(new MemoryStream(bytes)));

    [Fact]
    public void ACorruptBodyIsRefusedByItsChecksum()
    {
        byte[] bytes = Saved();
        bytes[^100] ^= 0x10;
        Assert.Contains("body checksum", LoadFails(bytes).Message);
    }

    [Fact]
    public void ACorruptHeaderIsRefusedByItsChecksum()
    {
        byte[] bytes = Saved();
        bytes[20] ^= 0x01;
        Assert.Contains("header checksum", LoadFails(bytes).Message);
    }

    [Fact]
    public void ATruncatedFileIsRefused()
    {
        byte[] bytes = Saved();
        Assert.Contains("truncated", LoadFails(bytes[..(bytes.Length - 9)]).Message);
        Assert.Contains("truncated", LoadFails(bytes[..10]).Message);
    }

    [Fact]
    public void AnotherFileOrVersionIsRefused()
    {
        byte[] bytes = Saved();
        byte[] other = (byte[])bytes.Clone();
        other[0] = (byte)'X';
        Assert.Contains("not a SCRATCH model", LoadFails(other).Message);
        byte[] version = (byte[])bytes.Clone();
        version[8] = 4;
        Assert.Contains("version 4", LoadFails(version).Message);
        version[8] = 0;
        Assert.Contains("version 0", LoadFails(version).Message);
    }

    [Fact]
    public void EncodingRefusesRowsOfTheWrongWidthOrWithNaN()
    {
        var model = Train(8).Model;
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => model.EncodeImages(Fresh.Text)).ParamName);
        var bad = Fresh.Text.Values.ToArray();
        bad[4 * 4 + 1] = double.NaN;
        var ex = Assert.Throws<ArgumentException>(() => model.EncodeTexts(new FeatureMatrix(Fresh.Text.Rows, 4, bad)));
        Assert.Contains("row 4, column 1", ex.Message);
    }

    [Fact]
    public void EncodingRefusesNullRows()
    {
        var model = Train(8).Model;
        Assert.Equal("rows", Assert.Throws<ArgumentNullException>(() => model.EncodeImages(null!)).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentNullException>(() => model.EncodeTexts(null!)).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentNullException>(() => model.EncodeImages(null!, new ulong[1])).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentNullException>(() => model.EncodeTexts(null!, new ulong[1])).ParamName);
    }
}
