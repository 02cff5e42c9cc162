using System.Diagnostics;
using HammingIndex.MultiIndex;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Storage;

/// <summary>
/// I/O errors name the file the caller knows: a created store is written under a temporary name and
/// renamed, but its later errors name the store (finding 6); a failed tables save leaves no temporary file.
/// </summary>
public class StoreErrorNameTests
{
    /// <summary>
    /// A real error from the operating system: the crash writer creates a store and appends under a
    /// file-size limit (ulimit -f, SIGXFSZ ignored) until a write fails with EFBIG.
    /// </summary>
    [Fact]
    public void AnIOErrorOnACreatedStoreNamesTheStoreNotItsTemporaryName()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/bin/bash")) return;
        using var dir = new TempDirectory();
        string path = dir.File("full.hstore");
        string writer = Path.Combine(AppContext.BaseDirectory, "HammingIndex.CrashWriter.dll");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["-c", "trap '' XFSZ; ulimit -f 256; DOTNET_EnableWriteXorExecute=0 exec \"$@\"", "fill", dotnet, writer, path, "64", "64", "1", "fill"]) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string errors = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "the writer did not finish");
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {output} {errors}");
        Assert.StartsWith("E ", output);
        Assert.Contains(path, output);
        Assert.DoesNotContain(".creating", output);
    }

    [Fact]
    public void ATablesSaveThatFailsLeavesNoTemporaryFileAndTheOldFile()
    {
        using var dir = new TempDirectory();
        using CodeStore store = CodeStore.CreateInMemory(64);
        store.AppendRange(new ulong[] { 1, 2, 3 }, [1, 2, 3]);
        var index = new MultiIndexHash(store);
        string target = dir.File("tables.mih");
        Directory.CreateDirectory(target); // the rename cannot replace a directory
        Assert.ThrowsAny<IOException>(() => index.Save(target));
        Assert.False(File.Exists(target + ".tmp"));
        Assert.True(Directory.Exists(target));
    }
}
