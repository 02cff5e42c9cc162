using System.Text.Json;
using HammingIndex.Cli.Plots;
using HammingIndex.Cli.Tests.IO;
using HammingIndex.Training.Datasets;

namespace HammingIndex.Cli.Tests.Commands;

public class DemoAndTsneTests
{
    /// <summary>A miniature @mdi/svg package: three shapes, each icon tagged with its shape (and a second tag on some).</summary>
    private static void WriteIcons(string root, int count)
    {
        string[] shapes = ["box", "tri", "bar"];
        string[] paths = ["M{0} {0}H22V22H{0}Z", "M12 {0}L22 22H2Z", "M2 {0}H22V{1}H2Z"];
        Directory.CreateDirectory(Path.Combine(root, "package", "svg"));
        var rng = new Random(4);
        var meta = new List<object>();
        for (int i = 0; i < count; i++)
        {
            int s = i % 3;
            int o = 1 + rng.Next(6);
            string name = $"{shapes[s]}-item-{i}";
            string d = string.Format(paths[s], o, o + 3);
            File.WriteAllText(Path.Combine(root, "package", "svg", name + ".svg"), $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\"><path d=\"{d}\" /></svg>");
            string[] tags = i % 5 == 0 ? [shapes[s].ToUpperInvariant(), "Extra"] : [shapes[s].ToUpperInvariant()];
            meta.Add(new { name, aliases = new[] { shapes[s] + "-alias" }, tags });
        }
        File.WriteAllText(Path.Combine(root, "package", "meta.json"), JsonSerializer.Serialize(meta));
    }

    [Fact]
    public void Demo_runs_the_whole_job_on_an_icon_package()
    {
        using var dir = new TempDir();
        string icons = dir.File("mdi");
        WriteIcons(icons, 120);
        string plots = dir.File("plots");
        var r = CliRunner.Run("demo", "--data", icons, "--queries", "20", "--anchors", "20", "--bits", "16", "--engine-codes", "3000", "--plots", plots);
        Assert.True(r.Status == 0, r.Error);
        Assert.Contains("100 database/training icons, 20 queries", r.Out);
        // Both protocols for SCRATCH, the encoded database for LSH.
        Assert.Matches(@"SCRATCH\s*│ training codes\s*│ I->T\s*│ 0\.\d{4}", r.Out);
        Assert.Matches(@"SCRATCH\s*│ encoded database\s*│ I->T\s*│ 0\.\d{4}", r.Out);
        Assert.Matches(@"LSH\s*│ encoded database\s*│ T->I\s*│ 0\.\d{4}", r.Out);
        Assert.Contains("within radius 2", r.Out);
        Assert.DoesNotContain("NO", r.Out); // scan and multi-index agree on every query
        Assert.Contains("core engine: 3,000 clustered 64-bit codes", r.Out);
        Assert.True(File.Exists(Path.Combine(plots, "tsne.png")));
    }

    [Fact]
    public void Demo_without_the_data_says_how_to_fetch_it()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("demo", "--data", dir.File("missing"));
        CliRunner.AssertCleanError(r, 1, "meta.json");
    }

    [Fact]
    public void Tsne_separates_two_clusters_of_codes()
    {
        var rng = new Random(9);
        int n = 60;
        var codes = new ulong[n];
        ulong a = (ulong)rng.NextInt64(), b = ~a;
        for (int i = 0; i < n; i++)
        {
            ulong noise = 0;
            for (int bit = 0; bit < 64; bit++) if (rng.NextDouble() < 0.05) noise |= 1UL << bit;
            codes[i] = (i < n / 2 ? a : b) ^ noise;
        }
        double[] xy = HammingTsne.Embed(codes, 1, perplexity: 10, iterations: 300, seed: 3);
        double Dist(int i, int j) => Math.Sqrt(Math.Pow(xy[2 * i] - xy[2 * j], 2) + Math.Pow(xy[2 * i + 1] - xy[2 * j + 1], 2));
        double within = 0, between = 0;
        int nw = 0, nb = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                if ((i < n / 2) == (j < n / 2)) { within += Dist(i, j); nw++; }
                else { between += Dist(i, j); nb++; }
            }
        Assert.True(between / nb > 2 * (within / nw), $"between {between / nb}, within {within / nw}");
        // The optimizer lowers t-SNE's own objective relative to the random start.
        double[] start = HammingTsne.Embed(codes, 1, perplexity: 10, iterations: 0, seed: 3);
        double end = HammingTsne.Divergence(codes, 1, xy, 10), begin = HammingTsne.Divergence(codes, 1, start, 10);
        Assert.True(end < begin, $"KL {begin} -> {end}");
    }
}
