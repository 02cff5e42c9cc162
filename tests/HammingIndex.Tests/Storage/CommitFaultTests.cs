using HammingIndex.CrashWriter;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Storage;

/// <summary>
/// A crash at each step of the two-phase commit (simulated in process: the commit stops at that step and
/// the store is let go without another commit, like a killed process) leaves either the previous or the
/// new commit, and the store keeps working after it: its stale checksum records are never trusted.
/// </summary>
public class CommitFaultTests
{
    private sealed class SimulatedCrash : Exception;

    [Theory]
    [InlineData("code-records-written", false)]
    [InlineData("log-written", false)]
    [InlineData("data-synced", false)]
    [InlineData("header-written", true)]
    public void ACrashInsideFlushLeavesTheOldOrTheNewCommitAndTheStoreGoesOn(string step, bool newCommitVisible)
    {
        using var dir = new TempDirectory();
        string path = dir.File("fault.hix");
        using (CodeStore store = CodeStore.Create(path, 72, new CodeStoreOptions { BlockCapacity = 64 }))
            AppendUpTo(store, 0, 100); // committed by dispose: 100 codes, their deletes
        using (CodeStore store = CodeStore.Open(path))
        {
            AppendUpTo(store, 100, 190); // the partly filled block 1 gains codes, block 2 is new, new deletes
            store.FileMemory!.FaultInjector = s => { if (s == step) throw new SimulatedCrash(); };
            Assert.Throws<SimulatedCrash>(() => store.Flush());
            store.SimulateCrash();
        }
        long expected = newCommitVisible ? 190 : 100;
        using (CodeStore store = CodeStore.Open(path))
        {
            Assert.Equal(expected, CrashSafetyTests.CheckWorkloadState(store));
            AppendUpTo(store, expected, 260); // rewrites the checksum records of the same blocks
        }
        using (CodeStore store = CodeStore.Open(path, new CodeStoreOptions { VerifyOnOpen = true }))
        {
            Assert.True(store.RecoveryInfo!.IsClean, store.RecoveryInfo.ToString());
            Assert.Equal(260, CrashSafetyTests.CheckWorkloadState(store));
        }
    }

    [Fact]
    public void ACrashInsideCompactionLeavesTheOriginalAndTheLeftoverIsRemoved()
    {
        using var dir = new TempDirectory();
        string path = dir.File("fault.hix");
        using (CodeStore store = CodeStore.Create(path, 72, new CodeStoreOptions { BlockCapacity = 64 }))
        {
            AppendUpTo(store, 0, 150);
            store.Flush();
            // What a crash before the rename leaves: the original store and a partial temporary file.
            File.WriteAllBytes(path + ".compacting", [1, 2, 3]);
            store.SimulateCrash();
        }
        using (CodeStore store = CodeStore.Open(path))
        {
            Assert.True(store.RecoveryInfo!.RemovedCompactionFile);
            Assert.False(File.Exists(path + ".compacting"));
            Assert.Equal(150, CrashSafetyTests.CheckWorkloadState(store));
        }
    }

    /// <summary>Appends the workload from sequence <paramref name="from"/> up to <paramref name="to"/> and applies its deletes.</summary>
    private static void AppendUpTo(CodeStore store, long from, long to)
    {
        for (long s = from; s < to; s++) store.Append(CrashWorkload.CodeFor(store.Layout, s), s);
        for (long s = Math.Max(0, from - CrashWorkload.DeleteLag); s < to - CrashWorkload.DeleteLag; s++)
        {
            if (CrashWorkload.Doomed(s)) store.TryDelete(s);
        }
    }
}
