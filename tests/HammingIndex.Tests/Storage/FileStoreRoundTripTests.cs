using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HammingIndex.Codes;
using HammingIndex.Storage;

namespace HammingIndex.Tests.Storage;

/// <summary>
/// Store contents (codes, ids, deletes, generation) survive flush, close/reopen and compaction, checked
/// against a plain list model, for odd code lengths and counts that cross block boundaries.
/// </summary>
public class FileStoreRoundTripTests
{
    private const int Capacity = 64; // small blocks: a few hundred codes cross several

    public enum OpKind { Append, Delete, Flush, Reopen, Compact }

    public sealed record Op(OpKind Kind, int Amount);

    public sealed record Scenario(int Bits, int Seed, Op[] Ops)
    {
        public override string ToString() => $"bits={Bits} seed={Seed} ops=[{string.Join(", ", Ops.Select(o => $"{o.Kind}({o.Amount})"))}]";
    }

    private static readonly Gen<int> BitsGen = Gen.OneOf(Gen.Elements(8, 63, 64, 65, 128, 200, 4096), Gen.Choose(8, 4096));

    private static readonly Gen<Op> OpGen = Gen.Frequency(
        (6, Gen.Choose(0, 150).Select(n => new Op(OpKind.Append, n))),
        (3, Gen.Choose(0, 40).Select(id => new Op(OpKind.Delete, id))),
        (2, Gen.Constant(new Op(OpKind.Flush, 0))),
        (2, Gen.Constant(new Op(OpKind.Reopen, 0))),
        (1, Gen.Constant(new Op(OpKind.Compact, 0))));

    private static readonly Arbitrary<Scenario> Scenarios =
        (from bits in BitsGen
         from seed in Gen.Choose(0, int.MaxValue)
         from ops in Gen.ListOf(OpGen)
         select new Scenario(bits, seed, ops.Take(12).ToArray())).ToArbitrary();

    [Property(MaxTest = 60)]
    public Property ContentsSurviveReopenAndCompaction() => Prop.ForAll(Scenarios, Run);

    [Fact]
    public void EmptyStoreSurvivesReopenAndCompaction() =>
        Run(new Scenario(65, 1, [new Op(OpKind.Reopen, 0), new Op(OpKind.Compact, 0), new Op(OpKind.Reopen, 0)]));

    [Fact]
    public void ExactBlockBoundariesSurviveReopen() =>
        Run(new Scenario(64, 2, [new Op(OpKind.Append, Capacity), new Op(OpKind.Reopen, 0), new Op(OpKind.Append, Capacity),
            new Op(OpKind.Delete, 3), new Op(OpKind.Reopen, 0), new Op(OpKind.Append, 1), new Op(OpKind.Compact, 0), new Op(OpKind.Reopen, 0)]));

    private static void Run(Scenario scenario)
    {
        var layout = new CodeLayout(scenario.Bits);
        var random = new Random(scenario.Seed);
        var model = new StoreModel();
        using var dir = new TempDirectory();
        string path = dir.File("store.hix");
        var options = new CodeStoreOptions { BlockCapacity = Capacity };
        CodeStore store = CodeStore.Create(path, scenario.Bits, options);
        using CodeStore memory = CodeStore.CreateInMemory(scenario.Bits, options);
        try
        {
            foreach (Op op in scenario.Ops)
            {
                switch (op.Kind)
                {
                    case OpKind.Append:
                        var codes = new ulong[op.Amount * layout.WordsPerCode];
                        var ids = new long[op.Amount];
                        for (int i = 0; i < op.Amount; i++)
                        {
                            ulong[] code = StoreModel.RandomCode(layout, random);
                            code.CopyTo(codes, i * layout.WordsPerCode);
                            ids[i] = random.Next(0, 40); // repeated ids on purpose
                            model.Append(code, ids[i]);
                        }
                        if (random.Next(2) == 0)
                        {
                            store.AppendRange(codes, ids);
                        }
                        else
                        {
                            for (int i = 0; i < op.Amount; i++) store.Append(codes.AsSpan(i * layout.WordsPerCode, layout.WordsPerCode), ids[i]);
                        }
                        memory.AppendRange(codes, ids);
                        break;
                    case OpKind.Delete:
                        int expected = model.Delete(op.Amount);
                        Assert.Equal(expected, store.TryDelete(op.Amount));
                        Assert.Equal(expected, memory.TryDelete(op.Amount));
                        break;
                    case OpKind.Flush:
                        store.Flush();
                        break;
                    case OpKind.Reopen:
                        store.Dispose();
                        store = CodeStore.Open(path);
                        Assert.True(store.RecoveryInfo!.IsClean, store.RecoveryInfo.ToString());
                        Assert.Equal(model.Count, store.RecoveryInfo.CommittedCount);
                        model.AssertMatches(store);
                        break;
                    case OpKind.Compact:
                        store.Compact();
                        memory.Compact();
                        model.Compact();
                        model.AssertMatches(store);
                        break;
                }
            }
            model.AssertMatches(store);
            model.AssertMatches(memory);
            store.Dispose();
            store = CodeStore.Open(path, new CodeStoreOptions { VerifyOnOpen = true });
            model.AssertMatches(store);
            Assert.Equal(model.Count, store.Verify());
        }
        finally
        {
            store.Dispose();
        }
    }
}
