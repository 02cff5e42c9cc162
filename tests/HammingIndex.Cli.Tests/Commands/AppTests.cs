namespace HammingIndex.Cli.Tests.Commands;

public class AppTests
{
    public static TheoryData<string> Subcommands => new() { "train", "encode", "build", "export", "search", "eval", "bench", "demo" };

    [Theory]
    [MemberData(nameof(Subcommands))]
    public void Every_subcommand_has_help_with_examples(string command)
    {
        var r = CliRunner.Run(command, "--help");
        Assert.Equal(0, r.Status);
        Assert.Contains("EXAMPLES:", r.Out);
        Assert.Contains($"hamming {command}", r.Out);
        Assert.Contains("--verbose", r.Out);
    }

    [Fact]
    public void Unknown_command_and_option_are_usage_errors()
    {
        CliRunner.AssertCleanError(CliRunner.Run("frobnicate"), 2, "frobnicate");
        CliRunner.AssertCleanError(CliRunner.Run("bench", "--no-such-option"), 2, "no-such-option");
    }

    [Fact]
    public void Bench_prints_kernel_paths_and_the_multi_index_speed_up()
    {
        var r = CliRunner.Run("bench", "--count", "5000", "--queries", "5");
        Assert.True(r.Status == 0, r.Error);
        Assert.Contains("Scalar", r.Out);
        Assert.Contains("codes/s", r.Out);
        Assert.Contains("multi-index: m =", r.Out);
        Assert.Matches(@"within radius\s*│[^│]+│[^│]+│\s*[0-9.]+x", r.Out);
        Assert.Matches(@"one batch on \d+ cores\s*│[^│]+│[^│]+│\s*[0-9.]+x", r.Out);
    }
}
