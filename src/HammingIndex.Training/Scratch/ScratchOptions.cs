using HammingIndex.Training.Kernelization;

namespace HammingIndex.Training.Scratch;

/// <summary>
/// Hyper-parameters of SCRATCH training. The defaults are the authors' (lx = 0.5, alpha = 500,
/// mu = 1000, gamma = 5, 20 iterations, 500 anchors), suited to low-dimensional features; the authors
/// advise mu = 100 and alpha = 10 for high-dimensional ones (see ScratchTuning).
/// </summary>
public sealed record ScratchOptions
{
    /// <summary>Code length r in bits, 1..4096. Codes shorter than 8 bits are stored as 8-bit engine codes whose extra bits are always 0 (distances are unchanged).</summary>
    public int Bits { get; init; } = 64;

    /// <summary>lx: weight of the image reconstruction term; the text term gets 1 - lx. In [0, 1].</summary>
    public double LambdaX { get; init; } = 0.5;

    /// <summary>alpha: weight of the label reconstruction term ||L - G V||². At least 0.</summary>
    public double Alpha { get; init; } = 500;

    /// <summary>mu: weight of the hash-function terms ||V - Wx X||² + ||V - Wy Y||². Positive.</summary>
    public double Mu { get; init; } = 1000;

    /// <summary>
    /// βx: weight of the code-coupling term ‖B − R Wx X‖² (default 0, the authors' objective): the
    /// training codes must also agree with the image hash function's output. B becomes
    /// sign(R (V + βx Wx X + βy Wy Y)) and Wx regresses on Rᵀ B as well as on V. At least 0.
    /// Training only: the model file does not store it, and encoding does not use it.
    /// </summary>
    public double ImageCodeCoupling { get; init; }

    /// <summary>βy: weight of ‖B − R Wy Y‖², the text side of <see cref="ImageCodeCoupling"/>. At least 0.</summary>
    public double TextCodeCoupling { get; init; }

    /// <summary>gamma: weight of the Frobenius regularizer on Ux, Uy, G, Wx, Wy and V. Positive.</summary>
    public double Gamma { get; init; } = 5;

    /// <summary>Alternating-minimization iterations, at least 1.</summary>
    public int Iterations { get; init; } = 20;

    /// <summary>Kernel anchors per modality, 1..number of training pairs.</summary>
    public int Anchors { get; init; } = 500;

    /// <summary>Random training rows (default) or k-means centres as anchors.</summary>
    public AnchorSelection AnchorSelection { get; init; } = AnchorSelection.Random;

    /// <summary>Lloyd iterations when <see cref="AnchorSelection"/> is k-means.</summary>
    public int KMeansIterations { get; init; } = 10;

    /// <summary>Seed of the anchor draws and of the random initial V and R: same data + same seed = same model.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Training pairs whose label row is all zero are refused (false, the default) or kept with a
    /// logged warning (true): they then still shape the reconstruction and hash terms, and the label
    /// term pulls their G V towards zero.
    /// </summary>
    public bool AllowUnlabeledRows { get; init; }

    /// <summary>
    /// Kernel features of the training set are cached between iterations when both modalities fit in
    /// this many bytes (n x anchors x 8 each); otherwise they are recomputed block by block every
    /// iteration, so memory never holds the n x anchors matrix. Default 1 GiB.
    /// </summary>
    public long KernelCacheBytes { get; init; } = 1L << 30;

    /// <summary>
    /// The out-of-sample hash functions the model encodes with: <see cref="ScratchHashFunctions.Validated"/>
    /// (default: the better of the two below on a validation split of the training rows, never the
    /// worse in either direction there), <see cref="ScratchHashFunctions.CodeRegression"/> (per-bit
    /// kernel ridge fitted to the learned codes B after training) or <see cref="ScratchHashFunctions.Joint"/>
    /// (the authors' sign(R W phi)). B is the same either way.
    /// </summary>
    public ScratchHashFunctions HashFunctions { get; init; } = ScratchHashFunctions.Validated;

    /// <summary>
    /// Kernel anchors of the code-regression hash functions, per modality (their own RBF map, drawn
    /// from the training rows); 0 (the default) means min(n, max(<see cref="Anchors"/>, 1000)), a
    /// cap that keeps the fit linear in n. Ignored by the joint hash functions.
    /// </summary>
    public int HashAnchors { get; init; }

    /// <summary>
    /// Ridge of the code-regression hash functions, relative to the mean diagonal of the kernel Gram
    /// matrix; 0 (the default) chooses it per modality by 3-fold cross-validation on the training rows
    /// over 1e-6, 1e-4, 1e-2, 0.1. Ignored by the joint hash functions.
    /// </summary>
    public double HashRidge { get; init; }

    /// <summary>Anchors of the code-regression hash functions for <paramref name="rows"/> training rows (<see cref="HashAnchors"/>).</summary>
    public int HashAnchorsFor(int rows) => Math.Min(rows, HashAnchors > 0 ? HashAnchors : Math.Max(Anchors, DefaultHashAnchors));

    /// <summary>The cap of the automatic <see cref="HashAnchors"/>.</summary>
    public const int DefaultHashAnchors = 1000;

    /// <summary>Worker threads; 0 or less means all cores. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; }

    /// <summary>Checks every option against its valid range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The first option out of range, named.</exception>
    public void Validate()
    {
        if (Bits < 1 || Bits > 4096) throw new ArgumentOutOfRangeException(nameof(Bits), Bits, "Bits must be between 1 and 4096.");
        if (!(LambdaX >= 0 && LambdaX <= 1)) throw new ArgumentOutOfRangeException(nameof(LambdaX), LambdaX, "LambdaX must lie in [0, 1].");
        if (!(Alpha >= 0) || !double.IsFinite(Alpha)) throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "Alpha must be finite and at least 0.");
        if (!(Mu > 0) || !double.IsFinite(Mu)) throw new ArgumentOutOfRangeException(nameof(Mu), Mu, "Mu must be finite and positive.");
        if (!(Gamma > 0) || !double.IsFinite(Gamma)) throw new ArgumentOutOfRangeException(nameof(Gamma), Gamma, "Gamma must be finite and positive (it keeps every system invertible).");
        if (!(ImageCodeCoupling >= 0) || !double.IsFinite(ImageCodeCoupling)) throw new ArgumentOutOfRangeException(nameof(ImageCodeCoupling), ImageCodeCoupling, "ImageCodeCoupling must be finite and at least 0.");
        if (!(TextCodeCoupling >= 0) || !double.IsFinite(TextCodeCoupling)) throw new ArgumentOutOfRangeException(nameof(TextCodeCoupling), TextCodeCoupling, "TextCodeCoupling must be finite and at least 0.");
        if (Iterations < 1) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "At least one iteration is needed.");
        if (Anchors < 1) throw new ArgumentOutOfRangeException(nameof(Anchors), Anchors, "At least one anchor is needed.");
        if (!Enum.IsDefined(AnchorSelection)) throw new ArgumentOutOfRangeException(nameof(AnchorSelection), AnchorSelection, "Unknown anchor selection.");
        if (KMeansIterations < 0) throw new ArgumentOutOfRangeException(nameof(KMeansIterations), KMeansIterations, "Must not be negative.");
        if (!Enum.IsDefined(HashFunctions)) throw new ArgumentOutOfRangeException(nameof(HashFunctions), HashFunctions, "Unknown hash functions.");
        if (HashAnchors < 0) throw new ArgumentOutOfRangeException(nameof(HashAnchors), HashAnchors, "HashAnchors must be at least 0 (0 = min(n, max(Anchors, 1000))).");
        if (!(HashRidge >= 0) || !double.IsFinite(HashRidge)) throw new ArgumentOutOfRangeException(nameof(HashRidge), HashRidge, "HashRidge must be finite and at least 0 (0 = cross-validated).");
        if (KernelCacheBytes < 0) throw new ArgumentOutOfRangeException(nameof(KernelCacheBytes), KernelCacheBytes, "Must not be negative.");
    }
}
