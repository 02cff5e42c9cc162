using System.Globalization;
using Xunit.Abstractions;

namespace HammingIndex.Training.Tests.Fuzzing;

/// <summary>
/// A bounded fuzz run of every file reader (issue 9): 0 crashes, 0 hangs, and no corrupted model or
/// code file read as valid. scripts/fuzz-readers.sh runs the same with more executions
/// (HAMMING_FUZZ_EXECUTIONS) and prints the table (HAMMING_FUZZ_REPORT).
/// </summary>
[Trait("Category", "Fuzz")]
public class ReaderFuzzTests(ITestOutputHelper output)
{
    public static TheoryData<string> Readers() => [.. ReaderFuzzer.Targets().Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Readers))]
    public void Mutated_files_are_read_or_refused_never_crash_or_hang(string reader)
    {
        int executions = int.TryParse(Environment.GetEnvironmentVariable("HAMMING_FUZZ_EXECUTIONS"), CultureInfo.InvariantCulture, out int n) ? n : 150;
        ulong seed = ulong.TryParse(Environment.GetEnvironmentVariable("HAMMING_FUZZ_SEED"), CultureInfo.InvariantCulture, out ulong s) ? s : 20261127;
        FuzzTarget target = ReaderFuzzer.Targets().Single(t => t.Name == reader);
        FuzzReport report = ReaderFuzzer.Run(target, executions, seed, TimeSpan.FromSeconds(10), Environment.GetEnvironmentVariable("HAMMING_FUZZ_KEEP"));
        string line = $"{report.Reader}\t{report.Executions}\t{report.Accepted}\t{report.Refused}\t{report.WrongAccepted}\t{report.Crashes}\t{report.Hangs}";
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("HAMMING_FUZZ_REPORT") is string file and not "")
            lock (typeof(ReaderFuzzTests)) File.AppendAllText(file, line + Environment.NewLine);
        Assert.True(report.Clean, string.Join(Environment.NewLine, report.Failures));
        Assert.Equal(executions, report.Accepted + report.Refused);
    }
}
