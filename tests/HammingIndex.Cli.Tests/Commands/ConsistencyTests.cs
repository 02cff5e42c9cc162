using System.Text.RegularExpressions;
using HammingIndex.Cli.Infrastructure;
using HammingIndex.Cli.Tests.IO;
using HammingIndex.Training.IO;

namespace HammingIndex.Cli.Tests.Commands;

/// <summary>
/// One set of rules across the subcommands (issue #12): one meaning per short option, required
/// options marked and checked, one overwrite rule, usage errors exit 2, numbers people can read.
/// </summary>
public sealed class ConsistencyTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The help line of <paramref name="option"/> in <c>hamming <paramref name="command"/> --help</c>.</summary>
    private static string HelpLine(string command, string option)
    {
        var r = CliRunner.Run(command, "--help");
        Assert.Equal(0, r.Status);
        return Assert.Single(r.Out.Split('\n'), l => Regex.IsMatch(l, $@"^ {{4}}(-\w, | {{4}}){Regex.Escape(option)}(\s|$)"));
    }

    [Theory]
    [InlineData("encode")]
    [InlineData("search")]
    [InlineData("eval")]
    public void Dash_m_is_model_wherever_it_exists(string command) =>
        Assert.Contains("-m, --model", HelpLine(command, "--model"));

    [Fact]
    public void Every_short_option_means_one_long_option_across_all_commands()
    {
        var meanings = typeof(HammingApp).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Spectre.Console.Cli.CommandSettings)))
            .SelectMany(t => t.GetProperties().Select(p => (Settings: t.Name, Option: p.GetCustomAttributes(typeof(Spectre.Console.Cli.CommandOptionAttribute), true)
                .Cast<Spectre.Console.Cli.CommandOptionAttribute>().SingleOrDefault())))
            .Where(o => o.Option is not null)
            .SelectMany(o => o.Option!.ShortNames.Select(s => (Short: s, Long: string.Join("|", o.Option.LongNames), o.Settings)))
            .GroupBy(o => o.Short)
            .ToArray();
        Assert.Contains(meanings, g => g.Key == "m"); // the reflection sees the settings classes
        foreach (var g in meanings)
            Assert.True(g.Select(o => o.Long).Distinct().Count() == 1,
                $"-{g.Key} means {string.Join(", ", g.Select(o => $"--{o.Long} in {o.Settings}").Distinct())}");
    }

    [Fact]
    public void Build_has_no_dash_m_substrings_is_long_only()
    {
        Assert.DoesNotContain("-m,", HelpLine("build", "--substrings"));
        string codes = WriteCodes("db.codes");
        var r = CliRunner.Run("build", "--codes", codes, "-m", "4", "--out", _dir.File("db.hstore"));
        CliRunner.AssertCleanError(r, 2, "Unknown option 'm'");
        Assert.False(File.Exists(_dir.File("db.hstore")));
    }

    [Fact]
    public void Dash_f_is_features_and_format_is_long_only()
    {
        Assert.Contains("-f, --features", HelpLine("encode", "--features"));
        Assert.DoesNotContain("-f,", HelpLine("search", "--format"));
        string store = BuildStore();
        CliRunner.AssertCleanError(CliRunner.Run("search", "--store", store, "--queries", WriteCodes("q.codes", 3), "-f", "json"), 2, "Unknown option 'f'");
        var json = CliRunner.Run("search", "--store", store, "--queries", WriteCodes("q2.codes", 3), "--format", "json");
        Assert.True(json.Status == 0, json.Error);
        Assert.StartsWith("{", json.Out.TrimStart());
    }

    [Fact]
    public void No_command_is_a_usage_error_with_the_usage()
    {
        var r = CliRunner.Run();
        CliRunner.AssertCleanError(r, 2, "name a command");
        Assert.Contains("USAGE:", r.Out);
        Assert.Contains("COMMANDS:", r.Out);
    }

    public static TheoryData<string, string> RequiredOptions => new()
    {
        { "train", "--images" }, { "train", "--texts" }, { "train", "--out" },
        { "tune", "--out" },
        { "encode", "--model" }, { "encode", "--features" }, { "encode", "--out" },
        { "build", "--codes" },
        { "export", "--store" }, { "export", "--out" },
        { "search", "--store" }, { "search", "--queries" },
        { "eval", "--model" },
    };

    [Theory]
    [MemberData(nameof(RequiredOptions))]
    public void Required_options_are_marked_in_help_and_missing_ones_exit_2_naming_them(string command, string option)
    {
        Assert.Contains("(required)", HelpLine(command, option));
        // Every other required option given, so the message can only be about this one.
        var args = new List<string> { command };
        foreach (var (c, o) in RequiredOptions.Select(row => ((string)row[0], (string)row[1])))
            if (c == command && o != option) args.AddRange([o, _dir.File("x" + o.TrimStart('-'))]);
        CliRunner.AssertCleanError(CliRunner.Run([.. args]), 2, $"{option} is required");
    }

    [Fact]
    public void Only_required_options_are_marked_required()
    {
        Assert.DoesNotContain("(required)", HelpLine("train", "--bits"));
        Assert.DoesNotContain("(required)", HelpLine("search", "--out"));
        Assert.DoesNotContain("(required)", HelpLine("build", "--out"));
    }

    [Theory]
    [InlineData("train")]
    [InlineData("tune")]
    [InlineData("encode")]
    [InlineData("build")]
    [InlineData("export")]
    [InlineData("search")]
    public void Every_command_that_writes_takes_overwrite(string command) =>
        Assert.Contains("--overwrite", HelpLine(command, "--overwrite"));

    [Fact]
    public void Train_refuses_an_existing_model_without_overwrite_and_leaves_it_byte_identical()
    {
        var data = new TwoViewData(_dir.Path);
        string model = _dir.File("m.model");
        string[] train = ["train", "--images", data.ImagesTrain, "--texts", data.TextsTrain, "--labels", data.LabelsTrain,
            "--bits", "16", "--anchors", "10", "--iterations", "2", "--out", model];
        File.WriteAllText(model, "an older model");
        CliRunner.AssertCleanError(CliRunner.Run(train), 1, "--overwrite");
        Assert.Equal("an older model", File.ReadAllText(model));

        var replaced = CliRunner.Run([.. train, "--overwrite"]);
        Assert.True(replaced.Status == 0, replaced.Error);
        Assert.NotEqual("an older model", File.ReadAllText(model));
    }

    [Fact]
    public void Tune_refuses_an_existing_trials_table_before_tuning()
    {
        var data = new TwoViewData(_dir.Path);
        string trials = _dir.File("t.md");
        File.WriteAllText(trials, "old table");
        var r = CliRunner.Run("tune", "--images", data.ImagesTrain, "--texts", data.TextsTrain, "--labels", data.LabelsTrain,
            "--bits", "16", "--max-trials", "1", "--out", _dir.File("m.model"), "--trials", trials);
        CliRunner.AssertCleanError(r, 1, "--overwrite");
        Assert.Equal("old table", File.ReadAllText(trials));
        Assert.False(File.Exists(_dir.File("m.model")));
    }

    [Fact]
    public void Export_and_search_out_refuse_an_existing_file_without_overwrite()
    {
        string store = BuildStore(), queries = WriteCodes("q.codes", 2);
        string exported = _dir.File("e.codes"), results = _dir.File("r.tsv");
        File.WriteAllText(exported, "keep");
        File.WriteAllText(results, "keep");
        CliRunner.AssertCleanError(CliRunner.Run("export", "--store", store, "--out", exported), 1, "--overwrite");
        CliRunner.AssertCleanError(CliRunner.Run("search", "--store", store, "--queries", queries, "--out", results), 1, "--overwrite");
        Assert.Equal("keep", File.ReadAllText(exported));
        Assert.Equal("keep", File.ReadAllText(results));

        Assert.Equal(0, CliRunner.Run("export", "--store", store, "--out", exported, "--overwrite").Status);
        Assert.Equal(0, CliRunner.Run("search", "--store", store, "--queries", queries, "--out", results, "--overwrite").Status);
        Assert.StartsWith("query\t", File.ReadAllText(results));
    }

    [Fact]
    public void Usage_errors_exit_2_and_runtime_failures_exit_1()
    {
        CliRunner.AssertCleanError(CliRunner.Run("bench", "--count", "many"), 2, "--count");
        CliRunner.AssertCleanError(CliRunner.Run("search", "--store", "s", "--queries", "q", "--top-k", "0"), 2, "--top-k");
        CliRunner.AssertCleanError(CliRunner.Run("export", "--bogus"), 2, "bogus");
        CliRunner.AssertCleanError(CliRunner.Run("export", "--store", _dir.File("absent.hstore"), "--out", _dir.File("o.codes")), 1, "absent.hstore");
    }

    [Fact]
    public void Bench_prints_readable_numbers_not_exponents()
    {
        var r = CliRunner.Run("bench", "--count", "5000", "--queries", "5");
        Assert.True(r.Status == 0, r.Error);
        Assert.DoesNotMatch(@"\dE[+-]\d", r.Out);
        Assert.Matches(@"\d+(\.\d+)? [kMGT]? ?codes/s", r.Out);
    }

    [Theory]
    [InlineData(1.562e9, "1.56 G codes/s")]
    [InlineData(999_600, "1.00 M codes/s")]
    [InlineData(12_345, "12.3 k codes/s")]
    [InlineData(950, "950 codes/s")]
    [InlineData(0.5, "0.50 codes/s")]
    [InlineData(double.PositiveInfinity, "n/a")]
    public void Human_numbers_have_three_digits_and_a_prefix(double value, string expected) =>
        Assert.Equal(expected, HumanNumbers.Si(value, "codes/s"));

    [Fact]
    public void Demo_without_data_tells_a_tool_user_how_to_get_it_without_the_repository()
    {
        var r = CliRunner.Run("demo", "--data", _dir.File("missing"));
        CliRunner.AssertCleanError(r, 1, "npm pack @mdi/svg@7.4.47");
        Assert.Contains("hamming demo --data", r.Error);
        Assert.DoesNotContain("scripts/", r.Error);
    }

    private string WriteCodes(string name, int n = 200)
    {
        string path = _dir.File(name);
        ulong[] codes = RawCodeFileTests.RandomCodes(new Random(n), 64, n);
        using var w = RawCodeWriter.Create(path, 64, RawCodePacking.Words, writeIds: true);
        w.Write(codes, Enumerable.Range(0, n).Select(i => (long)i).ToArray());
        w.Commit();
        return path;
    }

    private string BuildStore()
    {
        string store = _dir.File("db.hstore");
        var r = CliRunner.Run("build", "--codes", WriteCodes("db.codes"), "--out", store);
        Assert.True(r.Status == 0, r.Error);
        return store;
    }
}
