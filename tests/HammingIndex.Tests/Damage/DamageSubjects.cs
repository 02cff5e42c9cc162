using HammingIndex.Codes;
using HammingIndex.Kernels;
using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Storage;
using HammingIndex.Tests.Storage;

namespace HammingIndex.Tests.Damage;

/// <summary>How a reader took a damaged file.</summary>
internal enum DamageOutcome
{
    /// <summary>Read, and every answer equals the intact file's.</summary>
    Identical,

    /// <summary>Refused with the reader's specific <see cref="InvalidFileException"/> subtype.</summary>
    Refused,

    /// <summary>Read without complaint, and some answer differs: a silent wrong answer.</summary>
    Wrong,

    /// <summary>Any other exception (IndexOutOfRange, ArgumentException, a plain IOException...).</summary>
    Crash,

    /// <summary>Did not finish within the time limit.</summary>
    Hang,
}

/// <summary>
/// The two small files whose damage is tried (every bit flip, every truncation, fuzzed mutations): a
/// store file (64-bit codes, blocks of 64, 150 codes and 2 deletes over three commits: 16 KiB) and a
/// tables file over 100 32-bit codes (about 5 KiB). Each trial writes the damaged bytes, reads them back
/// through the public API and compares every answer with the intact file's.
/// </summary>
internal sealed class DamageSubjects : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new();
    private readonly StoreModel _storeModel;
    private readonly CodeStore _tablesStore;
    private readonly StoreModel _tablesModel;
    private readonly (ulong[] Query, int Radius, Neighbor[] Expected, Neighbor[] Nearest)[] _queries;

    public DamageSubjects()
    {
        StorePath = _dir.File("s.hstore");
        var random = new Random(7);
        var layout = new CodeLayout(64);
        using (CodeStore store = CodeStore.Create(StorePath, 64, new CodeStoreOptions { BlockCapacity = 64 }))
        {
            for (int i = 0; i < 150; i++)
            {
                store.Append(StoreModel.RandomCode(layout, random), i);
                if (i == 120) store.Flush();
            }
            store.Delete(3);
            store.Delete(70);
        }
        StoreBytes = File.ReadAllBytes(StorePath);
        using (CodeStore store = CodeStore.Open(StorePath)) _storeModel = StoreModel.Read(store);
        File.WriteAllBytes(StorePath, StoreBytes);

        TablesPath = _dir.File("t.mih");
        _tablesStore = CodeStore.CreateInMemory(32);
        var small = new CodeLayout(32);
        for (int i = 0; i < 100; i++) _tablesStore.Append(StoreModel.RandomCode(small, random), i);
        _tablesStore.Delete(5);
        new MultiIndexHash(_tablesStore).Save(TablesPath);
        TablesBytes = File.ReadAllBytes(TablesPath);
        _tablesModel = StoreModel.Read(_tablesStore);
        _queries = Enumerable.Range(0, 24).Select(q =>
        {
            ulong[] query = q % 2 == 0 ? _tablesModel.Entries[q * 4].Code : StoreModel.RandomCode(small, random);
            int radius = q % 3 == 0 ? 0 : random.Next(1, 9);
            Neighbor[] all = _tablesModel.Entries.Where(e => !e.Deleted)
                .Select(e => new Neighbor(e.Id, HammingKernels.Distance(query, e.Code)))
                .OrderBy(n => n.Distance).ThenBy(n => n.Id).ToArray();
            return (query, radius, all.Where(n => n.Distance <= radius).ToArray(), all[..3]);
        }).ToArray();
    }

    public string StorePath { get; }

    /// <summary>The last exception counted as a crash (for the failure message).</summary>
    public static string? LastCrash { get; private set; }

    public byte[] StoreBytes { get; }

    public string TablesPath { get; }

    public byte[] TablesBytes { get; }

    /// <summary>Opens the store file holding <paramref name="bytes"/> and reads every code, id and delete.</summary>
    public DamageOutcome TryStore(byte[] bytes) => Outcome(() =>
    {
        File.WriteAllBytes(StorePath, bytes);
        using CodeStore store = CodeStore.Open(StorePath);
        return StoreModel.Read(store).SameAs(_storeModel);
    }, e => e is StoreFormatException);

    /// <summary>Loads the tables file holding <paramref name="bytes"/> and runs every query through them.</summary>
    public DamageOutcome TryTables(byte[] bytes) => Outcome(() =>
    {
        File.WriteAllBytes(TablesPath, bytes);
        MultiIndexHash index = MultiIndexHash.Load(_tablesStore, TablesPath);
        return _queries.All(q => q.Expected.SequenceEqual(index.WithinRadius(q.Query, q.Radius)) && q.Nearest.SequenceEqual(index.TopK(q.Query, 3)));
    }, e => e is MultiIndexFileException);

    private static DamageOutcome Outcome(Func<bool> trial, Func<Exception, bool> specific)
    {
        Task<bool> task = Task.Run(trial);
        try
        {
            if (!task.Wait(Limit)) return DamageOutcome.Hang;
            return task.Result ? DamageOutcome.Identical : DamageOutcome.Wrong;
        }
        catch (AggregateException e)
        {
            Exception inner = e.InnerException!;
            if (specific(inner)) return DamageOutcome.Refused;
            LastCrash = inner.ToString();
            return DamageOutcome.Crash;
        }
    }

    public void Dispose()
    {
        _tablesStore.Dispose();
        _dir.Dispose();
    }
}
