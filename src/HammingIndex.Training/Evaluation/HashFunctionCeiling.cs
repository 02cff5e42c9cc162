using HammingIndex.Codes;
using HammingIndex.Training.Datasets;
using HammingIndex.Training.Kernelization;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.Evaluation;

/// <summary>How well one modality's hash functions reproduce the learned codes B.</summary>
/// <param name="Functions">"joint (authors')", "code regression" or "ceiling".</param>
/// <param name="Anchors">Kernel anchors of the functions.</param>
/// <param name="Ridge">Relative ridge (NaN for the joint functions).</param>
/// <param name="InSampleBitError">Share of B's bits the functions get wrong on the training rows they were fitted on.</param>
/// <param name="HeldOutBitError">Share wrong on held-out training rows (k-fold cross-validation; NaN for the joint functions, which are fitted inside the objective).</param>
/// <param name="HeldOutErrorByRidge">Held-out error per relative ridge tried (ridge, error); empty for the joint functions.</param>
/// <param name="HeldOutBitErrorQuartiles">Per-bit held-out error: min, lower quartile, median, upper quartile, max (empty for the joint functions).</param>
/// <param name="EncodedMap">MAP of the encoded database when these functions encode this modality's queries and database and the other modality uses the same kind of functions, (I->T, T->I); the same pair in both modality rows.</param>
public sealed record HashFitFigures(string Functions, int Anchors, double Ridge, double InSampleBitError, double HeldOutBitError,
    IReadOnlyList<(double Ridge, double Error)> HeldOutErrorByRidge, IReadOnlyList<double> HeldOutBitErrorQuartiles, (double ImageToText, double TextToImage) EncodedMap);

/// <summary>The hash-function analysis of one trained model: per modality, the joint, code-regression and ceiling fits.</summary>
/// <param name="Bits">Code length.</param>
/// <param name="Seed">Training seed.</param>
/// <param name="Image">Image modality figures (joint, code regression, ceiling).</param>
/// <param name="Text">Text modality figures.</param>
/// <param name="TrainingCodesMap">MAP with the training codes B as the database, queries through (joint, code regression, ceiling) functions: ((I->T, T->I) each).</param>
public sealed record HashCeilingReport(int Bits, int Seed, IReadOnlyList<HashFitFigures> Image, IReadOnlyList<HashFitFigures> Text,
    IReadOnlyList<(string Functions, double ImageToText, double TextToImage)> TrainingCodesMap);

/// <summary>
/// Why hash functions miss the learned codes B, and how well any kernel model could do: trains SCRATCH
/// once, then per modality measures the bit error of the authors' joint functions (in-sample), of the
/// code-regression functions (in-sample and 3-fold held-out over the ridge grid) and of a ceiling —
/// the same per-bit kernel ridge with many more anchors (up to every training row) and a wider ridge
/// grid, 3-fold cross-validated on held-out training rows. The test split serves only as queries for MAP.
/// </summary>
public static class HashFunctionCeiling
{
    /// <summary>Relative ridges of the ceiling's cross-validation.</summary>
    public static IReadOnlyList<double> CeilingGrid { get; } = [1e-6, 1e-4, 1e-2, 1e-1, 1];

    /// <summary>Runs the analysis.</summary>
    /// <param name="train">Training split (trains SCRATCH; the database).</param>
    /// <param name="test">Test split (queries).</param>
    /// <param name="options">SCRATCH options (bits, seed...); the hash functions are set to code regression (the joint ones come with it).</param>
    /// <param name="ceilingAnchors">Anchors of the ceiling model, capped at the training size.</param>
    public static HashCeilingReport Measure(CrossModalSplit train, CrossModalSplit test, ScratchOptions options, int ceilingAnchors = 1500)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        options = options with { HashFunctions = ScratchHashFunctions.CodeRegression };
        ScratchTrainingResult trained = ScratchTrainer.Train(train.Images, train.Texts, train.Labels.ToIndicatorMatrix(), options);
        ScratchModel regression = trained.Model, joint = regression.WithHashFunctions(ScratchHashFunctions.Joint);
        int n = train.Count, bits = options.Bits;
        CodeLayout layout = regression.Layout;
        sbyte[] b = CodePacking.UnpackSigns(trained.TrainingCodes, n, bits, layout);
        int anchors = Math.Min(ceilingAnchors, n);

        // The ceiling: more anchors, wider grid; fitted on all rows with the cross-validated ridge.
        var random = new Random(options.Seed ^ 0x5eed);
        RbfKernelMap ceilingImageMap = RbfKernelMap.Fit(train.Images, anchors, random.Next());
        RbfKernelMap ceilingTextMap = RbfKernelMap.Fit(train.Texts, anchors, random.Next());
        int foldSeed = random.Next();
        CodeRegressionFit ceilingImage = CodeRegression.Fit(ceilingImageMap, train.Images, b, bits, 0, CeilingGrid, 3, foldSeed);
        CodeRegressionFit ceilingText = CodeRegression.Fit(ceilingTextMap, train.Texts, b, bits, 0, CeilingGrid, 3, foldSeed);
        ulong[] Ceiling(RbfKernelMap map, CodeRegressionFit fit, FeatureMatrix rows)
        {
            var codes = new ulong[(long)rows.Rows * layout.WordsPerCode];
            ScratchModel.EncodeRows(map, fit.Projection, fit.Bias, bits, layout, rows, codes, 0, nameof(rows));
            return codes;
        }

        var functions = new (string Name, int Anchors, Func<FeatureMatrix, ulong[]> Images, Func<FeatureMatrix, ulong[]> Texts, CodeRegressionFit? ImageFit, CodeRegressionFit? TextFit)[]
        {
            ("joint (authors')", options.Anchors, joint.EncodeImages, joint.EncodeTexts, null, null),
            ("code regression", regression.ImageHashAnchors, regression.EncodeImages, regression.EncodeTexts, regression.ImageCodeRegression, regression.TextCodeRegression),
            ($"ceiling ({anchors} anchors)", anchors, rows => Ceiling(ceilingImageMap, ceilingImage, rows), rows => Ceiling(ceilingTextMap, ceilingText, rows), ceilingImage, ceilingText),
        };
        var image = new List<HashFitFigures>();
        var text = new List<HashFitFigures>();
        var trainingCodesMap = new List<(string, double, double)>();
        foreach (var f in functions)
        {
            ulong[] dbImages = f.Images(train.Images), dbTexts = f.Texts(train.Texts);
            ulong[] qImages = f.Images(test.Images), qTexts = f.Texts(test.Texts);
            double encodedI2T = RetrievalMetrics.Evaluate(qImages, dbTexts, layout.Bits, test.Labels, train.Labels).Map;
            double encodedT2I = RetrievalMetrics.Evaluate(qTexts, dbImages, layout.Bits, test.Labels, train.Labels).Map;
            trainingCodesMap.Add((f.Name,
                RetrievalMetrics.Evaluate(qImages, trained.TrainingCodes, layout.Bits, test.Labels, train.Labels).Map,
                RetrievalMetrics.Evaluate(qTexts, trained.TrainingCodes, layout.Bits, test.Labels, train.Labels).Map));
            image.Add(Figures(f.Name, f.Anchors, f.ImageFit, BitError(dbImages, b, n, bits, layout), (encodedI2T, encodedT2I)));
            text.Add(Figures(f.Name, f.Anchors, f.TextFit, BitError(dbTexts, b, n, bits, layout), (encodedI2T, encodedT2I)));
        }
        return new HashCeilingReport(bits, options.Seed, image, text, trainingCodesMap);
    }

    private static HashFitFigures Figures(string name, int anchors, CodeRegressionFit? fit, double inSample, (double, double) map)
    {
        if (fit is null) return new(name, anchors, double.NaN, inSample, double.NaN, [], [], map);
        double[] sorted = fit.HeldOutBitError.Order().ToArray();
        double Quantile(double p) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Round(p * (sorted.Length - 1))];
        double heldOut = fit.HeldOutBitError.Length == 0 ? double.NaN : fit.HeldOutBitError.Average();
        return new(name, anchors, fit.Ridge, inSample, heldOut, fit.RidgeGrid.Zip(fit.HeldOutError).ToArray(),
            [Quantile(0), Quantile(0.25), Quantile(0.5), Quantile(0.75), Quantile(1)], map);
    }

    private static double BitError(ulong[] codes, sbyte[] b, int n, int bits, CodeLayout layout)
    {
        sbyte[] signs = CodePacking.UnpackSigns(codes, n, bits, layout);
        long wrong = 0;
        for (long k = 0; k < signs.Length; k++) if (signs[k] != b[k]) wrong++;
        return (double)wrong / ((double)n * bits);
    }
}
