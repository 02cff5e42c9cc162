using System.Reflection;

namespace HammingIndex.Cli.Tests.Commands;

public class VersionTests
{
    [Fact]
    public void Version_prints_the_package_version_and_exits_0()
    {
        var r = CliRunner.Run("--version");
        Assert.Equal(0, r.Status);
        string expected = typeof(HammingApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(expected, r.Out.Trim());
        // MinVer's form: major.minor.patch, optionally -prerelease, optionally +metadata.
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?(\+[0-9A-Za-z.]+)?$", r.Out.Trim());
    }
}
