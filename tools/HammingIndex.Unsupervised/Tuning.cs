using System.Globalization;
using System.Text;
using HammingIndex.Training.Baselines;
using HammingIndex.Training.Datasets;
using HammingIndex.Training.Evaluation;
using HammingIndex.Training.Scratch;
using HammingIndex.Training.Unsupervised;

namespace HammingIndex.Unsupervised;

/// <summary>
/// Validation tuning: 20 % of the training pairs (seeded) become queries, the rest trains and is the
/// database; the score is the mean MAP over both directions and both protocols. The graph trainer's
/// knobs are searched one at a time from <see cref="MethodSettings.Graph"/> (keeping each best value);
/// CCA's ridge over a short list. The test split is never read.
/// </summary>
internal static class Tuning
{
    public static string Run(string dataset, string set, CrossModalSplit training, int bits, int seed, Action<string> log, IReadOnlyCollection<string>? onlyKnobs = null)
    {
        var order = Enumerable.Range(0, training.Count).ToArray();
        new Random(seed).Shuffle(order);
        int validationCount = training.Count / 5;
        int[] validation = order[..validationCount].Order().ToArray(), fit = order[validationCount..].Order().ToArray();
        CrossModalSplit fitSplit = training.SelectRows(fit), validationSplit = training.SelectRows(validation);
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"{dataset}: validation tuning at {bits} bits, seed {seed}: {fit.Length} training pairs, {validation.Length} validation queries; score = mean MAP (2 directions x 2 protocols).");
        sb.AppendLine();
        sb.AppendLine("| method | setting | I→T | T→I | I→T enc | T→I enc | score | partner MAP (no labels) |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");

        double Score(string name, string setting, ICrossModalHasher hasher)
        {
            int b = hasher.Layout.Bits;
            ulong[] qi = hasher.EncodeImages(validationSplit.Images), qt = hasher.EncodeTexts(validationSplit.Texts);
            double Map(ulong[] q, ulong[] db) => RetrievalMetrics.Evaluate(q, db, b, validationSplit.Labels, fitSplit.Labels).Map;
            double[] maps = [Map(qi, hasher.DatabaseTextCodes), Map(qt, hasher.DatabaseImageCodes),
                Map(qi, hasher.EncodeTexts(fitSplit.Texts)), Map(qt, hasher.EncodeImages(fitSplit.Images))];
            double score = maps.Average();
            double partner = ImageWeightSelection.PartnerMap(qi, qt, b, 1);
            string line = string.Create(c, $"| {name} | {setting} | {maps[0]:F3} | {maps[1]:F3} | {maps[2]:F3} | {maps[3]:F3} | {score:F4} | {partner:F4} |");
            sb.AppendLine(line);
            log(line);
            return score;
        }

        // --knobs cca,...: CCA-ITQ with the set's chosen ridge only, as the reference for the graph knobs named.
        foreach (double kappa in onlyKnobs is null ? new[] { 0.01, 0.1, 1.0, 10.0 } : onlyKnobs.Contains("cca") ? [MethodSettings.Cca(set).Regularization] : [])
        {
            var options = new CcaItqOptions { Regularization = kappa };
            Score("CCA-ITQ", string.Create(c, $"κ = {kappa}"), CcaItq.Train(fitSplit.Images, fitSplit.Texts, bits, seed, options));
        }
        foreach (int anchors in onlyKnobs is null ? new[] { 0 } : [])
        {
            if (Math.Min(fitSplit.Images.Columns, fitSplit.Texts.Columns) < bits || Math.Max(fitSplit.Images.Columns, fitSplit.Texts.Columns) > 512) continue; // raw CCA on wide features: minutes of managed EVD
            var options = new CcaItqOptions { KernelAnchors = anchors };
            Score("CCA-ITQ", "raw features", CcaItq.Train(fitSplit.Images, fitSplit.Texts, bits, seed, options));
        }

        UnsupervisedOptions best = MethodSettings.Graph(set) with { Bits = bits, Seed = seed };
        double Graph(UnsupervisedOptions o, string setting) =>
            Score("graph", setting, new CrossModalMethod.ScratchHasher(UnsupervisedTrainer.Train(fitSplit.Images, fitSplit.Texts, o).Hashing));
        double bestScore = Graph(best, "start");
        // A short list (CPU is shared): the knobs that moved the validation score on Wiki in a longer pass.
        var knobs = new (string Name, Func<UnsupervisedOptions, double, UnsupervisedOptions> Set, double[] Values)[]
        {
            ("hash (0 = the joint sign(R W φ), 1 = code regression)", (o, v) => o with { Hashing = o.Hashing with { HashFunctions = v == 0 ? ScratchHashFunctions.Joint : ScratchHashFunctions.CodeRegression } }, [0, 1]),
            ("w (image weight)", (o, v) => o with { ImageWeight = v }, [0.2, 0.35, 0.5, 0.65, 0.8]),
            ("η (second order)", (o, v) => o with { SecondOrderWeight = v }, [1, 4]),
            ("θ (gate)", (o, v) => o with { GateThreshold = v }, [-1, -0.5, 0]),
            ("ρ (neighbours of neighbours)", (o, v) => o with { NeighbourWeight = v }, [0, 0.2, 0.5, 0.8]),
            ("s (edges per row)", (o, v) => o with { NearestAnchors = (int)v }, [2, 3, 5, 10]),
            ("m (graph anchors)", (o, v) => o with { GraphAnchors = (int)v }, [150, 300, 600]),
            ("k (embedding columns)", (o, v) => o with { EmbeddingDimensions = (int)v }, [bits, 2 * bits]),
            ("λ (hashing: image share of the feature reconstruction)", (o, v) => o with { Hashing = o.Hashing with { LambdaX = v } }, [0.3, 0.5, 0.7]),
            ("α (hashing: weight of the graph factor)", (o, v) => o with { Hashing = o.Hashing with { Alpha = v } }, [100, 500, 2000]),
            ("μ (hashing: weight of the hash-function terms)", (o, v) => o with { Hashing = o.Hashing with { Mu = v } }, [100, 1000, 10000]),
            ("βy (hashing: text code coupling ‖B − R Wy φ(Y)‖²)", (o, v) => o with { Hashing = o.Hashing with { TextCodeCoupling = v } }, [0, 0.3, 1, 3, 10, 30, 100, 1000]),
            ("βx (hashing: image code coupling ‖B − R Wx φ(X)‖²)", (o, v) => o with { Hashing = o.Hashing with { ImageCodeCoupling = v } }, [0, 0.3, 1, 3, 10, 100]),
            ("a (hashing: kernel anchors per modality)", (o, v) => o with { Hashing = o.Hashing with { Anchors = (int)v } }, [500, 1000]),
            ("a' (code-regression hash functions: anchors per modality)", (o, v) => o with { Hashing = o.Hashing with { HashAnchors = (int)v } }, [1000, 2000]),
            ("I (hashing: solver iterations)", (o, v) => o with { Hashing = o.Hashing with { Iterations = (int)v } }, [20, 50]),
        };
        foreach (var (name, change, values) in knobs)
        {
            if (onlyKnobs is not null && !onlyKnobs.Contains(name.Split(' ')[0])) continue;
            foreach (double v in values)
            {
                UnsupervisedOptions candidate = change(best, v);
                if (candidate == best || candidate.EffectiveEmbeddingDimensions == best.EffectiveEmbeddingDimensions && candidate with { EmbeddingDimensions = best.EmbeddingDimensions } == best) continue;
                if (candidate.GraphAnchors > fit.Length || candidate.NearestAnchors > candidate.GraphAnchors) continue;
                double score = Graph(candidate, string.Create(c, $"{name} = {v}"));
                if (score > bestScore) (best, bestScore) = (candidate, score);
            }
        }
        sb.AppendLine();
        sb.AppendLine(c, $"Best graph setting: w = {best.ImageWeight}, ρ = {best.NeighbourWeight}, η = {best.SecondOrderWeight}, θ = {best.GateThreshold}, s = {best.NearestAnchors}, m = {best.GraphAnchors}, " +
            $"k = {best.EmbeddingDimensions}, hash = {best.HashingOptions().HashFunctions}, λ = {best.Hashing.LambdaX}, α = {best.Hashing.Alpha}, μ = {best.Hashing.Mu}, βy = {best.Hashing.TextCodeCoupling}, βx = {best.Hashing.ImageCodeCoupling}, I = {best.Hashing.Iterations} (score {bestScore:F4}).");
        return sb.ToString();
    }
}
