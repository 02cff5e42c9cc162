using HammingIndex.Codes;
using HammingIndex.Kernels;
using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Storage.Faults;

/// <summary>What one fault trial found after the crash and the reopen.</summary>
internal sealed record TrialResult(
    int Steps, string? FaultedAt, string Outcome, long LostCodes, long LostDeletes, bool SilentRollback,
    bool Refused, bool WrongData, bool WrongTables, bool TemporaryLeft, bool TablesChecked)
{
    /// <summary>Whether anything acknowledged was lost or anything wrong was read.</summary>
    public bool Bad => LostCodes > 0 || LostDeletes > 0 || SilentRollback || WrongData || WrongTables || TemporaryLeft;
}

/// <summary>
/// One seeded workload (create; batches of appends and deletes, each followed by a flush, a compaction,
/// a tables save, or a dispose and reopen) on a <see cref="FaultyFileSystem"/> that faults at one
/// operation; then the machine crashes (at the fault, or at the end after an error fault), the
/// post-crash image is written, and the store is reopened and compared with the states the workload
/// had acknowledged (a call that returned) and the one in flight at the crash.
/// </summary>
internal static class FaultTrial
{
    private static readonly int[] BitChoices = [8, 64, 72, 130];

    public static TrialResult Run(string directory, int seed, FaultKind kind, int faultAt)
    {
        foreach (string file in Directory.GetFiles(directory)) File.Delete(file);
        var rng = new Random(seed);
        int bits = BitChoices[rng.Next(BitChoices.Length)];
        var layout = new CodeLayout(bits);
        var fs = new FaultyFileSystem(faultAt, kind, seed * 31 + faultAt);
        var options = new CodeStoreOptions { BlockCapacity = 64, FileSystem = fs };
        string path = Path.Combine(directory, "s.hstore"), tablesPath = path + MultiIndexHash.FileExtension;
        var model = new StoreModel();
        StoreModel? acked = null, inflight = null;
        var history = new List<StoreModel>();
        bool temporaryLeft = false;
        CodeStore? store = null;

        void Ack(StoreModel state)
        {
            acked = state.Clone();
            history.Add(acked);
            inflight = null;
        }

        try
        {
            fs.Phase = "create";
            inflight = model.Clone();
            store = CodeStore.Create(path, bits, options);
            Ack(model);
            int rounds = rng.Next(4, 8);
            for (int round = 0; round < rounds && store is not null; round++)
            {
                int appends = rng.Next(0, 140);
                for (int i = 0; i < appends; i++)
                {
                    ulong[] code = StoreModel.RandomCode(layout, rng);
                    long id = rng.Next(0, 80);
                    fs.Phase = "append";
                    try
                    {
                        store.Append(code, id); // grows the file at a block boundary
                    }
                    catch (IOException)
                    {
                        continue; // not appended
                    }
                    model.Append(code, id);
                }
                for (int i = rng.Next(0, 4); i > 0; i--)
                {
                    long id = rng.Next(0, 80);
                    if (model.Delete(id) != store.TryDelete(id)) throw new InvalidOperationException("model and store disagree on a delete");
                }
                int action = rng.Next(20);
                if (action < 11)
                {
                    fs.Phase = "flush";
                    inflight = model.Clone();
                    try
                    {
                        store.Flush();
                    }
                    catch (IOException)
                    {
                        fs.Phase = "flush retry";
                        store.Flush(); // one fault per trial: the retry must make it durable
                    }
                    Ack(model);
                }
                else if (action < 14)
                {
                    fs.Phase = "compact";
                    StoreModel compacted = model.Clone();
                    compacted.Compact();
                    inflight = compacted;
                    try
                    {
                        store.Compact();
                        model = compacted;
                        Ack(model);
                    }
                    catch (IOException)
                    {
                        temporaryLeft |= File.Exists(path + ".compacting");
                        if (store.Generation == compacted.Generation) model = compacted; // renamed, directory sync failed
                        fs.Phase = "flush after failed compact";
                        inflight = model.Clone();
                        store.Flush();
                        Ack(model);
                    }
                }
                else if (action < 17)
                {
                    fs.Phase = "save tables";
                    try
                    {
                        new MultiIndexHash(store).Save(tablesPath, fs);
                    }
                    catch (IOException)
                    {
                        temporaryLeft |= File.Exists(tablesPath + ".tmp");
                    }
                }
                else
                {
                    fs.Phase = "dispose";
                    inflight = model.Clone();
                    CodeStore closing = store;
                    store = null;
                    try
                    {
                        closing.Dispose();
                    }
                    catch (IOException)
                    {
                        break; // not acknowledged; the store is gone
                    }
                    Ack(model);
                    fs.Phase = "open";
                    try
                    {
                        store = CodeStore.Open(path, options);
                    }
                    catch (IOException)
                    {
                        break;
                    }
                }
            }
            fs.Phase = "end";
            fs.CrashNow();
        }
        catch (SimulatedCrashException)
        {
        }
        catch (IOException) when (acked is null)
        {
            // Create failed: nothing was acknowledged; it must leave no temporary file.
            temporaryLeft |= File.Exists(path + ".creating");
            fs.CrashNow();
        }
        store?.SimulateCrash();
        if (faultAt == 0) return new TrialResult(fs.Steps, null, "dry run", 0, 0, false, false, false, false, false, false);

        fs.WriteImage(directory);
        return Check(fs, path, tablesPath, acked, inflight, history, temporaryLeft);
    }

    private static TrialResult Check(FaultyFileSystem fs, string path, string tablesPath, StoreModel? acked, StoreModel? inflight, List<StoreModel> history, bool temporaryLeft)
    {
        TrialResult Result(string outcome, long lost = 0, long lostDeletes = 0, bool rollback = false, bool refused = false, bool wrong = false, bool wrongTables = false, bool tablesChecked = false) =>
            new(fs.Steps, fs.FaultedAt, outcome, lost, lostDeletes, rollback, refused, wrong, wrongTables, temporaryLeft, tablesChecked);

        if (!File.Exists(path))
            return acked is null ? Result("no store (create not acknowledged)") : Result("store missing", lost: acked.Entries.Count(e => !e.Deleted));
        CodeStore store;
        bool refused = false;
        try
        {
            store = CodeStore.Open(path, new CodeStoreOptions { VerifyOnOpen = true });
        }
        catch (StoreHeaderDamagedException)
        {
            refused = true;
            store = CodeStore.Open(path, new CodeStoreOptions { VerifyOnOpen = true, RecoverToPreviousCommit = true });
        }
        catch (Exception e) when (e is IOException)
        {
            return acked is null ? Result($"create not acknowledged, file refused: {e.GetType().Name}")
                : Result($"unopenable: {e.Message}", lost: acked.Entries.Count(x => !x.Deleted), wrong: true);
        }
        using (store)
        {
            StoreModel found;
            try
            {
                found = StoreModel.Read(store);
            }
            catch (StoreCorruptedException e)
            {
                return Result($"corrupt after reopen: {e.Message}", lost: acked?.Entries.Count(x => !x.Deleted) ?? 0, wrong: true);
            }
            bool tablesChecked = false, wrongTables = false;
            if (File.Exists(tablesPath)) (tablesChecked, wrongTables) = CheckTables(store, tablesPath, found);
            if (acked is not null && found.SameAs(acked)) return Result(refused ? "acknowledged (after a refusal)" : "acknowledged", refused: refused, wrongTables: wrongTables, tablesChecked: tablesChecked);
            if (inflight is not null && found.SameAs(inflight)) return Result("in-flight commit", refused: refused, wrongTables: wrongTables, tablesChecked: tablesChecked);
            if (acked is null) return Result("data where nothing was acknowledged", wrong: true, refused: refused);
            var (lost, lostDeletes) = acked.LostIn(found);
            bool rollback = history.Any(h => found.SameAs(h));
            return Result(rollback ? "rolled back past an acknowledged commit" : "wrong data", lost, lostDeletes, rollback && !refused, refused, wrong: !rollback, wrongTables, tablesChecked);
        }
    }

    /// <summary>Loads the tables after the crash: refused, or every radius search equals a brute force over the reopened store.</summary>
    private static (bool Checked, bool Wrong) CheckTables(CodeStore store, string tablesPath, StoreModel found)
    {
        MultiIndexHash index;
        try
        {
            index = MultiIndexHash.Load(store, tablesPath);
        }
        catch (MultiIndexFileException)
        {
            return (true, false);
        }
        var rng = new Random(found.Entries.Count);
        for (int q = 0; q < 6; q++)
        {
            ulong[] query = found.Entries.Count > 0 && q % 2 == 0 ? found.Entries[rng.Next(found.Entries.Count)].Code : StoreModel.RandomCode(store.Layout, rng);
            int radius = rng.Next(0, store.Bits / 4 + 1);
            Neighbor[] expected = found.Entries
                .Where(e => !e.Deleted)
                .Select(e => new Neighbor(e.Id, HammingKernels.Distance(query, e.Code)))
                .Where(n => n.Distance <= radius)
                .OrderBy(n => n.Distance).ThenBy(n => n.Id)
                .ToArray();
            if (!expected.SequenceEqual(index.WithinRadius(query, radius))) return (true, true);
        }
        return (true, false);
    }
}
