using System.Collections.Concurrent;
using System.Diagnostics;
using HammingIndex.Codes;
using HammingIndex.CrashWriter;
using HammingIndex.Storage;
using Xunit.Abstractions;

namespace HammingIndex.Tests.Storage;

/// <summary>
/// A child process (tests/HammingIndex.CrashWriter) appends, deletes, flushes and compacts a store file
/// and prints each sequence number once its flush returned; it is killed with SIGKILL at random points,
/// and every reopen must hold every printed (flushed) code and nothing but a committed workload state.
/// </summary>
public class CrashSafetyTests(ITestOutputHelper output)
{
    private const int Bits = 65;
    private const int Capacity = 64;

    [Fact]
    public void EveryFlushedCodeSurvivesSigkillAtRandomPoints()
    {
        using var dir = new TempDirectory();
        string path = dir.File("crash.hix");
        int seed = Environment.TickCount;
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        int kills = 0, dirtyOpens = 0;
        long droppedCodes = 0, droppedBytes = 0, last = 0;
        while (kills < 25 && clock.Elapsed < TimeSpan.FromSeconds(50))
        {
            bool waitForOpen = random.Next(4) != 0; // sometimes kill during startup or recovery
            int delayMs = waitForOpen ? random.Next(0, 300) : random.Next(0, 200);
            (long printed, _) = RunAndKill(path, random.Next(), waitForOpen ? "O" : null, delayMs, []);
            kills++;
            if (!File.Exists(path)) continue; // killed before it created the store
            using CodeStore store = CodeStore.Open(path);
            long next = CheckWorkloadState(store);
            Assert.True(next >= printed, $"kill {kills} (seed {seed}): the child had flushed up to sequence {printed}, the reopened store holds only up to {next}");
            // At most one flush can have completed after the last line the child managed to print.
            Assert.True(next <= Math.Max(printed, last) + CrashWorkload.MaxBatch, $"kill {kills}: reopened at {next}, beyond one batch past {Math.Max(printed, last)}");
            Assert.Equal(store.Count, store.Verify());
            if (!store.RecoveryInfo!.IsClean) dirtyOpens++;
            droppedCodes += store.RecoveryInfo.DroppedCodes;
            droppedBytes += store.RecoveryInfo.DroppedBytes;
            last = next;
        }
        output.WriteLine($"seed {seed}: {kills} kills in {clock.Elapsed.TotalSeconds:F1} s, final sequence {last}, {dirtyOpens} opens recovered a tail ({droppedCodes} codes, {droppedBytes} bytes dropped)");
        // 25 kills take about 10 s here; a heavily loaded machine may fit fewer in the budget.
        Assert.True(kills >= 10, $"only {kills} kills fitted in the time budget");
        Assert.True(last > 0, "the child never committed anything");
    }

    [Fact]
    public void AnUnflushedTailIsDroppedAndReported()
    {
        using var dir = new TempDirectory();
        string path = dir.File("tail.hix");
        // 100 flushed codes fill block 0 and 36 slots of block 1; 37 unflushed ones fill block 1 and start block 2.
        (_, List<string> lines) = RunAndKill(path, 1, "T", 0, ["tail", "100", "37"]);
        Assert.Contains("T", lines);
        var format = new StoreFileFormat(new CodeLayout(Bits), 6);
        using (CodeStore store = CodeStore.Open(path))
        {
            Assert.Equal(100, store.Count);
            Assert.Equal(100, CheckWorkloadState(store));
            StoreRecoveryInfo info = store.RecoveryInfo!;
            Assert.Equal(37, info.DroppedCodes);
            Assert.Equal(format.Stride, info.DroppedBytes); // block 2 cut off
            Assert.Equal(format.FileLength(2), new FileInfo(path).Length);
            // Continue after the crash: the stale checksum records of the dropped tail must not be trusted.
            for (long s = 100; s < 170; s++) store.Append(CrashWorkload.CodeFor(store.Layout, s), s);
            for (long s = 0; s < 170 - CrashWorkload.DeleteLag; s++)
            {
                if (CrashWorkload.Doomed(s)) store.TryDelete(s);
            }
        }
        using (CodeStore store = CodeStore.Open(path, new CodeStoreOptions { VerifyOnOpen = true }))
        {
            Assert.True(store.RecoveryInfo!.IsClean, store.RecoveryInfo.ToString());
            Assert.Equal(170, CheckWorkloadState(store));
        }
    }

    /// <summary>Checks the store holds exactly a committed state of <see cref="CrashWorkload"/>; returns its next sequence number.</summary>
    internal static long CheckWorkloadState(CodeStore store)
    {
        using CodeStoreSnapshot snapshot = store.AcquireSnapshot();
        long next = snapshot.Count == 0 ? 0 : snapshot.GetId(snapshot.Count - 1) + 1;
        var present = new HashSet<long>();
        long previous = -1, live = 0;
        for (long p = 0; p < snapshot.Count; p++)
        {
            long id = snapshot.GetId(p);
            Assert.True(id > previous, $"position {p}: id {id} after {previous}");
            previous = id;
            Assert.True(CrashWorkload.CodeFor(store.Layout, id).AsSpan().SequenceEqual(snapshot.GetCode(p)), $"position {p}: code of sequence {id} differs");
            Assert.Equal(CrashWorkload.DeletedAt(id, next), snapshot.IsDeleted(p));
            present.Add(id);
        }
        for (long s = 0; s < next; s++)
        {
            if (CrashWorkload.DeletedAt(s, next)) continue;
            live++;
            Assert.True(present.Contains(s), $"sequence {s} (live at {next}) is missing");
        }
        Assert.Equal(live, store.LiveCount);
        return next;
    }

    /// <summary>
    /// Runs the crash writer on <paramref name="path"/>, waits for a line starting with
    /// <paramref name="waitFor"/> (if given), then <paramref name="delayMs"/>, then SIGKILL. Returns the
    /// highest sequence the child reported as durable, and every line it printed.
    /// </summary>
    private static (long Printed, List<string> Lines) RunAndKill(string path, int seed, string? waitFor, int delayMs, string[] extra)
    {
        string writer = Path.Combine(AppContext.BaseDirectory, "HammingIndex.CrashWriter.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in (string[])[writer, path, Bits.ToString(), Capacity.ToString(), seed.ToString(), .. extra]) start.ArgumentList.Add(a);
        var lines = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        using var seen = new ManualResetEventSlim();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lines.Enqueue(e.Data);
            if (waitFor is not null && e.Data.StartsWith(waitFor, StringComparison.Ordinal)) seen.Set();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) errors.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (waitFor is not null && !seen.Wait(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            Assert.Fail($"the crash writer did not print '{waitFor}': {string.Join(" | ", errors)}");
        }
        Thread.Sleep(delayMs);
        bool exited = process.HasExited;
        process.Kill(); // SIGKILL on Unix
        process.WaitForExit();
        Assert.False(exited && process.ExitCode != 0 && process.ExitCode != 137, $"the crash writer failed by itself (exit {process.ExitCode}): {string.Join(" | ", errors)}");
        long printed = 0;
        foreach (string line in lines)
        {
            if (line.StartsWith("F ", StringComparison.Ordinal) || line.StartsWith("O ", StringComparison.Ordinal))
                printed = Math.Max(printed, long.Parse(line.AsSpan(2)));
        }
        return (printed, lines.ToList());
    }
}
