using HammingIndex.Training.Baselines;
using HammingIndex.Training.Evaluation;
using HammingIndex.Training.Scratch;
using HammingIndex.Training.Unsupervised;

namespace HammingIndex.Unsupervised;

/// <summary>
/// The settings each data set runs with. The graph trainer's and CCA's were chosen by `tune`
/// (a validation split of the training pairs; docs/QUALITY.md, "Unsupervised"), never on the test queries.
/// </summary>
internal static class MethodSettings
{
    public const string GraphName = "Graph (unsupervised)";
    public const string CcaItqName = "CCA-ITQ";

    public static UnsupervisedOptions Graph(string set) => set switch
    {
        // tune icons --bits 32 (validation split of icons' training pairs): sparser graphs (s = 3, ρ = 0.2) and the
        // default gate θ = -1 (score 0.2144 against 0.1857 with Wiki's setting; CCA-ITQ's best 0.1747).
        // Code-regression hash functions: 0.2416 against 0.2144 with the joint ones (better in all four cells).
        // Text code coupling βy = 1: 0.2417 against 0.2416 at 32 bits, 0.2682 against 0.2667 at 64 bits (text queries against
        // the training codes 0.311 against 0.306); βx = 1 lowers it (0.2339).
        "icons" => new UnsupervisedOptions
        {
            ImageWeight = 0.35, SecondOrderWeight = 4, GateThreshold = -1, NeighbourWeight = 0.2, NearestAnchors = 3, MaxDegreeOfParallelism = 1,
            Hashing = new ScratchOptions { HashFunctions = ScratchHashFunctions.CodeRegression, TextCodeCoupling = 1 },
        },
        // tune wiki --bits 32; segment runs with Wiki's setting (not tuned on its own split). The joint hash functions:
        // 0.3328 against 0.3169 with code regression, whose image functions encode the database worse for text queries.
        // Code coupling βy = 10, βx = 0.3: 0.3399 against 0.3328 (text queries against the training codes 0.549 against 0.525).
        _ => new UnsupervisedOptions
        {
            ImageWeight = 0.35, SecondOrderWeight = 4, GateThreshold = -0.5, MaxDegreeOfParallelism = 1,
            Hashing = new ScratchOptions { HashFunctions = ScratchHashFunctions.Joint, TextCodeCoupling = 10, ImageCodeCoupling = 0.3 },
        },
    };

    public static CcaItqOptions Cca(string set) => set switch
    {
        "wiki" => new CcaItqOptions { Regularization = 10 },
        _ => new CcaItqOptions(),
    };

    /// <summary>The methods of a run, all four or those named in <paramref name="only"/> (lsh, cca, graph, scratch).</summary>
    public static IReadOnlyList<CrossModalMethod> For(string set, IReadOnlyCollection<string>? only = null)
    {
        (string Key, CrossModalMethod Method)[] all =
        [
            ("lsh", CrossModalMethod.Lsh),
            ("cca", UnsupervisedMethods.CcaItq(Cca(set), CcaItqName)),
            ("graph", UnsupervisedMethods.Graph(Graph(set), GraphName)),
            ("scratch", CrossModalMethod.Scratch(new ScratchOptions { MaxDegreeOfParallelism = 1 }, "SCRATCH (supervised)")),
        ];
        return all.Where(m => only is null || only.Contains(m.Key)).Select(m => m.Method).ToArray();
    }
}
