using HammingIndex.Training.Scratch;
using Xunit.Abstractions;

namespace HammingIndex.Training.Tests.Scratch;

/// <summary>The model file: atomic replacement, exact length, fingerprint, and every bit flip and truncation refused.</summary>
public class ModelFileTests(ITestOutputHelper output)
{
    private static readonly PairedData Data = PairedData.Create(120, 6, 4, 3, seed: 21);

    internal static ScratchModel Small(int bits = 8, int seed = 3) =>
        ScratchTrainer.Train(Data.Image, Data.Text, Data.Labels, new ScratchOptions { Bits = bits, Anchors = 4, Iterations = 2, Seed = seed }).Model;

    internal static byte[] Bytes(ScratchModel model)
    {
        var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    [Fact]
    public void Trailing_bytes_are_refused_naming_the_length() // issue 9, finding 10
    {
        byte[] bytes = Bytes(Small());
        byte[] longer = [.. bytes, 0x00, 0x2A, 0x17];
        var ex = Assert.Throws<ModelFormatException>(() => ScratchModel.Load(new MemoryStream(longer)));
        Assert.Equal(($"{bytes.Length} bytes", $"{longer.Length} bytes", (long)bytes.Length), (ex.Expected, ex.Actual, ex.Offset));
        Assert.Contains("bytes past its end", ex.Message);

        string path = Path.Combine(Path.GetTempPath(), $"model-{Guid.NewGuid():N}.scratch");
        File.WriteAllBytes(path, longer);
        try
        {
            var fromFile = Assert.Throws<ModelFormatException>(() => ScratchModel.Load(path));
            Assert.Equal(path, fromFile.FilePath);
            Assert.Equal($"{bytes.Length} bytes", fromFile.Expected);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Trailing_bytes_are_refused_on_a_stream_that_cannot_seek()
    {
        byte[] longer = [.. Bytes(Small()), 0x01];
        var ex = Assert.Throws<ModelFormatException>(() => ScratchModel.Load(new ForwardOnlyStream(longer)));
        Assert.Contains("bytes past its end", ex.Message);
    }

    [Fact]
    public void Truncation_names_the_offset_the_file_ends_at()
    {
        byte[] bytes = Bytes(Small());
        var ex = Assert.Throws<ModelFormatException>(() => ScratchModel.Load(new ForwardOnlyStream(bytes[..(bytes.Length - 5)])));
        Assert.Equal(bytes.Length - 5, ex.Offset);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Save_replaces_the_file_atomically_so_a_reader_of_the_old_model_sees_it_whole() // issue 9, finding 8
    {
        ScratchModel old = Small(bits: 8), replacement = Small(bits: 16);
        string path = Path.Combine(Path.GetTempPath(), $"model-{Guid.NewGuid():N}.scratch");
        try
        {
            old.Save(path);
            byte[] oldBytes = File.ReadAllBytes(path);
            using (var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                replacement.Save(path);
                // Written in place, the open file would now hold the new (or a half-written) model; renamed over it, it is untouched.
                var seen = new byte[oldBytes.Length + 1];
                Assert.Equal(oldBytes.Length, reader.ReadAtLeast(seen, seen.Length, throwOnEndOfStream: false));
                Assert.Equal(oldBytes, seen[..oldBytes.Length]);
            }
            Assert.Equal(16, ScratchModel.Load(path).Bits);
            Assert.False(File.Exists(path + ".tmp"));
            Assert.Throws<IOException>(() => replacement.Save(Path.GetTempPath())); // a directory: refused, nothing written
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_fingerprint_identifies_the_content()
    {
        ScratchModel a = Small(seed: 3), b = Small(seed: 4);
        Assert.NotEqual(a.Fingerprint, b.Fingerprint);
        Assert.Equal(a.Fingerprint, ScratchModel.Load(new MemoryStream(Bytes(a))).Fingerprint);
        Assert.Equal(a.Fingerprint, Small(seed: 3).Fingerprint); // training is reproducible, so is the fingerprint
    }

    /// <summary>
    /// Issue 9, must-show 3: every single-bit flip and every truncation of a small model file gives
    /// an identical model or a <see cref="ModelFormatException"/> naming the file; nothing else is thrown and nothing hangs.
    /// </summary>
    [Fact]
    public void Every_bit_flip_and_truncation_gives_the_same_model_or_a_ModelFormatException()
    {
        ScratchModel model = Small();
        byte[] bytes = Bytes(model);
        ulong[] expected = model.EncodeTexts(Data.Text);
        var outcome = ModelFileDamage.Run(bytes, expected, Data.Text);
        output.WriteLine($"{bytes.Length}-byte model: {outcome.Flips} bit flips, {outcome.Truncations} truncations; {outcome.Identical} identical, {outcome.Refused} refused, {outcome.WrongModels} wrong, {outcome.Crashes.Count} crashes, hang: {!outcome.Completed}");
        Assert.True(outcome.Completed, "a load did not finish (hang)");
        Assert.Equal(bytes.Length * 8, outcome.Flips);
        Assert.Equal(bytes.Length, outcome.Truncations);
        Assert.Empty(outcome.Crashes);
        Assert.Equal(0, outcome.WrongModels);
        Assert.Equal(outcome.Flips + outcome.Truncations, outcome.Refused + outcome.Identical);
    }

    /// <summary>A stream that reads forward only (as a pipe or a network stream).</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }
}

/// <summary>Flips every bit and truncates at every length of a model file, and classifies each load.</summary>
internal static class ModelFileDamage
{
    public sealed record Outcome(bool Completed, int Flips, int Truncations, int Identical, int Refused, int WrongModels, List<string> Crashes);

    public static Outcome Run(byte[] bytes, ulong[] expectedCodes, FeatureMatrix rows, TimeSpan? limit = null)
    {
        int flips = 0, truncations = 0, identical = 0, refused = 0, wrong = 0;
        var crashes = new List<string>();
        void Try(byte[] damaged, string what)
        {
            try
            {
                ScratchModel loaded = ScratchModel.Load(new MemoryStream(damaged));
                if (loaded.EncodeTexts(rows).AsSpan().SequenceEqual(expectedCodes)) identical++;
                else wrong++;
            }
            catch (ModelFormatException e) when (e.FilePath == "stream")
            {
                refused++;
            }
            catch (Exception e)
            {
                crashes.Add($"{what}: {e.GetType().Name}: {e.Message}");
            }
        }
        var work = Task.Run(() =>
        {
            var damaged = (byte[])bytes.Clone();
            for (int bit = 0; bit < bytes.Length * 8; bit++)
            {
                damaged[bit / 8] ^= (byte)(1 << (bit % 8));
                Try(damaged, $"flip of bit {bit}");
                damaged[bit / 8] ^= (byte)(1 << (bit % 8));
                flips++;
            }
            for (int length = 0; length < bytes.Length; length++)
            {
                Try(bytes[..length], $"truncation to {length} bytes");
                truncations++;
            }
        });
        bool completed = work.Wait(limit ?? TimeSpan.FromMinutes(5));
        return new Outcome(completed, flips, truncations, identical, refused, wrong, crashes);
    }
}
