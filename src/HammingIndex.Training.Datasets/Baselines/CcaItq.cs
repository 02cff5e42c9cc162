using HammingIndex.Codes;
using HammingIndex.Training.Evaluation;
using HammingIndex.Training.Kernelization;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.Baselines;

/// <summary>
/// CCA + ITQ, the classic shallow unsupervised cross-modal hasher (Gong et al., TPAMI 2013): kernel
/// features per modality (<see cref="CcaItqOptions.KernelAnchors"/>), the r leading canonical
/// directions of each (<see cref="CanonicalCorrelation"/>), one ITQ rotation R learned on both
/// modalities' projections stacked (<see cref="IterativeQuantization"/>), and code(x) = sign(Wxᵀ phi(x) R),
/// code(y) = sign(Wyᵀ phi(y) R). Its training codes (the authors' protocol database) are
/// sign(((Vx + Vy) / 2) R), the pair's mean projection, as SCRATCH's B uses both modalities.
/// </summary>
public sealed class CcaItq : ICrossModalHasher
{
    private readonly RbfKernelMap? _imageMap, _textMap;
    private readonly CanonicalCorrelation _cca;
    private readonly double[] _rotation;
    private readonly int _bits;

    private CcaItq(RbfKernelMap? imageMap, RbfKernelMap? textMap, CanonicalCorrelation cca, double[] rotation, int bits, ulong[] trainingCodes, double[] losses)
    {
        _imageMap = imageMap; _textMap = textMap; _cca = cca; _rotation = rotation; _bits = bits;
        Layout = new CodeLayout(Math.Max(CodeLayout.MinBits, bits));
        DatabaseImageCodes = trainingCodes;
        QuantizationLosses = losses;
    }

    /// <inheritdoc />
    public CodeLayout Layout { get; }

    /// <summary>The joint training codes sign(((Vx + Vy) / 2) R).</summary>
    public ulong[] DatabaseImageCodes { get; }

    /// <inheritdoc />
    public ulong[] DatabaseTextCodes => DatabaseImageCodes;

    /// <summary>The canonical correlations of the kept directions.</summary>
    public IReadOnlyList<double> Correlations => _cca.Correlations;

    /// <summary>ITQ's quantisation loss per iteration.</summary>
    public IReadOnlyList<double> QuantizationLosses { get; }

    /// <summary>Trains on paired rows.</summary>
    /// <exception cref="ArgumentException">No rows, row counts that disagree, or a NaN or infinite value (named).</exception>
    /// <exception cref="ArgumentOutOfRangeException">More bits than canonical directions (min of the two feature dimensions).</exception>
    public static CcaItq Train(FeatureMatrix image, FeatureMatrix text, int bits, int seed, CcaItqOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(text);
        options ??= new CcaItqOptions();
        if (image.Rows == 0) throw new ArgumentException("No training pairs: image has 0 rows.", nameof(image));
        if (text.Rows != image.Rows) throw new ArgumentException($"text has {text.Rows} rows but image has {image.Rows}: rows are pairs and must agree.", nameof(text));
        image.ThrowIfNotFinite(nameof(image));
        text.ThrowIfNotFinite(nameof(text));
        int n = image.Rows;
        RbfKernelMap? imageMap = null, textMap = null;
        FeatureMatrix x = image, y = text;
        if (options.KernelAnchors > 0)
        {
            int anchors = Math.Min(options.KernelAnchors, n);
            imageMap = RbfKernelMap.Fit(image, anchors, seed * 2 + 1);
            textMap = RbfKernelMap.Fit(text, anchors, seed * 2 + 2);
            x = new FeatureMatrix(n, anchors, imageMap.Transform(image));
            y = new FeatureMatrix(n, anchors, textMap.Transform(text));
        }
        var cca = CanonicalCorrelation.Fit(x, y, bits, options.Regularization);
        double[] vx = cca.ProjectImages(x), vy = cca.ProjectTexts(y);
        var stacked = new double[vx.Length + vy.Length];
        vx.CopyTo(stacked, 0);
        vy.CopyTo(stacked, vx.Length);
        var (rotation, losses) = IterativeQuantization.Fit(stacked, 2 * n, bits, options.Iterations, seed);
        var mean = new double[vx.Length];
        for (int k = 0; k < mean.Length; k++) mean[k] = (vx[k] + vy[k]) / 2;
        var layout = new CodeLayout(Math.Max(CodeLayout.MinBits, bits));
        return new CcaItq(imageMap, textMap, cca, rotation, bits, Pack(mean, n, bits, rotation, layout), losses);
    }

    /// <inheritdoc />
    public ulong[] EncodeImages(FeatureMatrix images)
    {
        ArgumentNullException.ThrowIfNull(images);
        FeatureMatrix x = _imageMap is null ? images : new FeatureMatrix(images.Rows, _imageMap.AnchorCount, _imageMap.Transform(images));
        return Pack(_cca.ProjectImages(x), images.Rows, _bits, _rotation, Layout);
    }

    /// <inheritdoc />
    public ulong[] EncodeTexts(FeatureMatrix texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        FeatureMatrix y = _textMap is null ? texts : new FeatureMatrix(texts.Rows, _textMap.AnchorCount, _textMap.Transform(texts));
        return Pack(_cca.ProjectTexts(y), texts.Rows, _bits, _rotation, Layout);
    }

    private static ulong[] Pack(double[] v, int n, int bits, double[] rotation, CodeLayout layout)
    {
        var rotated = new double[(long)n * bits];
        MatrixProducts.Multiply(v, rotation, rotated, n, bits, bits);
        var codes = new ulong[(long)n * layout.WordsPerCode];
        CodePacking.PackSigns(rotated, n, bits, layout, codes);
        return codes;
    }
}
