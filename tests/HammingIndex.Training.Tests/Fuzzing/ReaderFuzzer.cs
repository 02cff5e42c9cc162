using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using HammingIndex.Training.IO;
using HammingIndex.Training.Scratch;
using HammingIndex.Training.Tests.IO;
using HammingIndex.Training.Tests.Scratch;

namespace HammingIndex.Training.Tests.Fuzzing;

/// <summary>A reader under fuzzing: a valid seed file, how to read a file, and (for checksummed formats) whether what was read is the seed's content.</summary>
internal sealed record FuzzTarget(string Name, string Extension, byte[] Seed, bool Text, Func<string, Task<object>> Read, Func<object, bool>? IsSeedContent);

/// <summary>What a run found for one reader.</summary>
internal sealed record FuzzReport(string Reader, int Executions, int Accepted, int Refused, int WrongAccepted, int Crashes, int Hangs, List<string> Failures)
{
    public bool Clean => WrongAccepted == 0 && Crashes == 0 && Hangs == 0;
}

/// <summary>
/// Byte-mutation fuzzing of the file readers: FsCheck generates edits (<see cref="ByteMutation"/>)
/// of a valid seed file; each mutated file is read once with a time limit. A read must finish, and
/// either succeed or throw the readers' documented exception family (<see cref="InvalidFileException"/>,
/// or <see cref="InvalidDataException"/> from the .npy header parser); anything else is a crash. For
/// the checksummed formats (model, raw codes) a file read without error must hold the seed's content.
/// </summary>
internal static class ReaderFuzzer
{
    private static readonly FeatureMatrix Probe = RandomMatrix(7, 4, 1);

    public static IReadOnlyList<FuzzTarget> Targets()
    {
        var targets = new List<FuzzTarget>();
        ScratchModel model = ModelFileTests.Small();
        ulong[] modelCodes = model.EncodeTexts(Probe);
        targets.Add(new FuzzTarget("model", ".scratch", ModelFileTests.Bytes(model), false,
            path => Task.FromResult<object>(ScratchModel.Load(path)),
            loaded => ((ScratchModel)loaded).EncodeTexts(Probe).AsSpan().SequenceEqual(modelCodes)));

        FeatureMatrix features = RandomMatrix(9, 5, 2);
        FeatureMatrix integral = new(9, 5, features.Values.Select(v => Math.Round(Math.Abs(v) * 20)).ToArray());
        foreach (string ext in new[] { ".npy", ".fvecs", ".bvecs", ".ivecs", ".csv", ".tsv" })
        {
            byte[] seed = WithTempFile(ext, path => FeatureFiles.Write(path, ext is ".bvecs" or ".ivecs" ? integral : features));
            targets.Add(new FuzzTarget(ext[1..], ext, seed, ext is ".csv" or ".tsv",
                async path => await FeatureFiles.ReadAllAsync(path), null));
        }

        ulong[] codes = RawCodeFileTests.RandomCodes(new Random(3), 100, 11);
        byte[] rawSeed = WithTempFile(".codes", path => RawCodeFileTests.Write(path, 100, codes, new long[11], fingerprint: 0x5EED, writeIds: false));
        targets.Add(new FuzzTarget("raw codes", ".codes", rawSeed, false,
            async path =>
            {
                await using RawCodeReader reader = RawCodeReader.Open(path);
                return (await RawCodeFileTests.ReadAll(reader)).Codes;
            },
            read => ((ulong[])read).AsSpan().SequenceEqual(codes)));
        return targets;
    }

    /// <summary>Reads <paramref name="executions"/> mutants of <paramref name="target"/>'s seed (FsCheck edits from <paramref name="seed"/>).</summary>
    public static FuzzReport Run(FuzzTarget target, int executions, ulong seed, TimeSpan limit, string? keepFailuresIn = null)
    {
        string dir = Directory.CreateTempSubdirectory("fuzz-").FullName;
        string path = Path.Combine(dir, "input" + target.Extension);
        int accepted = 0, refused = 0, wrong = 0, crashes = 0, hangs = 0;
        var failures = new List<string>();
        try
        {
            ByteMutation[][] edits = ByteMutation.Edits(target.Text).Sample(executions, new Rnd(seed), 30);
            for (int i = 0; i < edits.Length; i++)
            {
                byte[] bytes = ByteMutation.Apply(target.Seed, edits[i]);
                File.WriteAllBytes(path, bytes);
                Task<object> read = Task.Run(() => target.Read(path));
                string? failure = null;
                if (Task.WhenAny(read, Task.Delay(limit)).GetAwaiter().GetResult() != read)
                {
                    hangs++;
                    failure = "hang";
                }
                else if (read.Exception?.InnerException is Exception e)
                {
                    if (e is InvalidFileException or InvalidDataException) refused++;
                    else
                    {
                        crashes++;
                        failure = $"{e.GetType().Name}: {e.Message}";
                    }
                }
                else if (target.IsSeedContent is not null && !target.IsSeedContent(read.Result))
                {
                    wrong++;
                    failure = "read without error but differs from the seed";
                }
                else accepted++;
                if (failure is null) continue;
                string where = $"{target.Name} #{i} [{string.Join(", ", edits[i].Select(e => e.ToString()))}]: {failure}";
                if (keepFailuresIn is not null)
                {
                    Directory.CreateDirectory(keepFailuresIn);
                    string kept = Path.Combine(keepFailuresIn, $"{target.Name.Replace(' ', '-')}-{i}{target.Extension}");
                    File.WriteAllBytes(kept, bytes);
                    where += $" (kept as {kept})";
                }
                if (failures.Count < 20) failures.Add(where);
            }
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
        return new FuzzReport(target.Name, executions, accepted, refused, wrong, crashes, hangs, failures);
    }

    private static byte[] WithTempFile(string extension, Action<string> write)
    {
        string path = Path.Combine(Path.GetTempPath(), $"fuzz-seed-{Guid.NewGuid():N}{extension}");
        try
        {
            write(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static FeatureMatrix RandomMatrix(int rows, int columns, int seed)
    {
        var rng = new Random(seed);
        return new FeatureMatrix(rows, columns, Enumerable.Range(0, rows * columns).Select(_ => rng.NextDouble() * 4 - 2).ToArray());
    }
}
