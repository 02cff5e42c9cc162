using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HammingIndex.Codes;
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

    private static readonly string[] Steps = ["code-records-written", "log-written", "data-synced", "header-written"];

    public sealed record CrashScenario(int Bits, int Seed, int Before, int After, int DeletesBefore, int DeletesAfter, bool CompactBefore, string Step);

    private static readonly Arbitrary<CrashScenario> CrashScenarios =
        (from bits in Gen.OneOf(Gen.Elements(8, 63, 64, 65, 4096), Gen.Choose(8, 4096))
         from seed in Gen.Choose(0, int.MaxValue)
         from before in Gen.Choose(0, 200)
         from after in Gen.Choose(0, 150)
         from deletesBefore in Gen.Choose(0, 4)
         from deletesAfter in Gen.Choose(0, 4)
         from compact in Gen.Elements(false, true)
         from step in Gen.Elements(Steps)
         select new CrashScenario(bits, seed, before, after, deletesBefore, deletesAfter, compact, step)).ToArbitrary();

    /// <summary>
    /// For random code lengths, counts (block boundaries included) and deletes: a crash at a random step of
    /// a flush reopens to exactly the previous commit (or, after the header write, the new one), and the
    /// store then keeps working and verifies.
    /// </summary>
    [Property(MaxTest = 40)]
    public Property ACrashAtAnyCommitStepReopensToACommittedState() => Prop.ForAll(CrashScenarios, scenario =>
    {
        var layout = new CodeLayout(scenario.Bits);
        var random = new Random(scenario.Seed);
        var model = new StoreModel();
        using var dir = new TempDirectory();
        string path = dir.File("fault.hix");
        void AppendAndDelete(CodeStore store, int count, int deletes)
        {
            for (int i = 0; i < count; i++)
            {
                ulong[] code = StoreModel.RandomCode(layout, random);
                long id = random.Next(0, 30);
                store.Append(code, id);
                model.Append(code, id);
            }
            for (int i = 0; i < deletes; i++)
            {
                long id = random.Next(0, 30);
                Assert.Equal(model.Delete(id), store.TryDelete(id));
            }
        }

        StoreModel committed;
        using (CodeStore store = CodeStore.Create(path, scenario.Bits, new CodeStoreOptions { BlockCapacity = 64 }))
        {
            AppendAndDelete(store, scenario.Before, scenario.DeletesBefore);
            if (scenario.CompactBefore)
            {
                store.Compact();
                model.Compact();
            }
            store.Flush();
            committed = model.Clone();
            AppendAndDelete(store, scenario.After, scenario.DeletesAfter);
            store.FileMemory!.FaultInjector = s => { if (s == scenario.Step) throw new SimulatedCrash(); };
            bool crashed = false;
            try
            {
                store.Flush();
            }
            catch (SimulatedCrash)
            {
                crashed = true;
            }
            store.SimulateCrash();
            if (crashed && scenario.Step != "header-written") model = committed;
        }
        using (CodeStore store = CodeStore.Open(path))
        {
            model.AssertMatches(store);
            AppendAndDelete(store, 70, 2);
        }
        using (CodeStore store = CodeStore.Open(path, new CodeStoreOptions { VerifyOnOpen = true }))
        {
            Assert.True(store.RecoveryInfo!.IsClean, store.RecoveryInfo.ToString());
            model.AssertMatches(store);
        }
    });

    [Fact]
    public void AFailedFlushKeepsThePreviousCommitAndCanBeRetried()
    {
        using var dir = new TempDirectory();
        string path = dir.File("retry.hix");
        using (CodeStore store = CodeStore.Create(path, 72, new CodeStoreOptions { BlockCapacity = 64 }))
        {
            AppendUpTo(store, 0, 100);
            store.Flush();
            AppendUpTo(store, 100, 180);
            int failures = 0;
            store.FileMemory!.FaultInjector = s => { if (s == "data-synced" && failures++ == 0) throw new IOException("simulated: no space left on device"); };
            Assert.Throws<IOException>(() => store.Flush());
            Assert.Equal(180, store.Count); // the appends are still there, only not durable yet
            store.Flush();
        }
        using CodeStore reopened = CodeStore.Open(path, new CodeStoreOptions { VerifyOnOpen = true });
        Assert.Equal(180, CrashSafetyTests.CheckWorkloadState(reopened));
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
