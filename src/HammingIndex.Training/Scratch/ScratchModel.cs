using System.Numerics.Tensors;
using HammingIndex.Codes;
using HammingIndex.Storage;
using HammingIndex.Training.Kernelization;

namespace HammingIndex.Training.Scratch;

/// <summary>
/// Trained SCRATCH hash functions. With <see cref="ScratchHashFunctions.Joint"/> (the authors'),
/// code(x) = sign(R Wx phi_x(x)) for an image row and code(y) = sign(R Wy phi_y(y)) for a text row;
/// with <see cref="ScratchHashFunctions.CodeRegression"/>, code(x) = sign(Pxᵀ psi_x(x) + cx) and
/// likewise for text, psi the code regression's own kernel map (<see cref="ScratchOptions.HashAnchors"/>
/// anchors), P and c fitted to the learned codes B. A projection of exactly 0 counts as +1.
/// Codes come packed in the engine's format (<see cref="Layout"/>): bit q is bit (q % 64) of word
/// (q / 64), +1 is a 1 bit, -1 a 0 bit. Codes shorter than 8 bits are stored as 8-bit codes whose
/// extra bits are 0, which leaves every Hamming distance unchanged. Immutable and thread-safe.
/// </summary>
public sealed class ScratchModel
{
    private readonly double[] _wxT, _wyT, _r;       // Wxᵀ (ax x r), Wyᵀ (ay x r), R (r x r)
    private readonly CodeRegressionFit? _imageFit, _textFit;
    private readonly RbfKernelMap _imageEncodeMap, _textEncodeMap; // the maps the encoding reads: the model's, or the code regression's own
    private readonly double[] _imageProjection;     // what encodes: (R Wx)ᵀ = Wxᵀ Rᵀ, or Px (anchors of its map x r)
    private readonly double[] _textProjection;
    private readonly double[] _imageBias, _textBias; // 0 for the joint functions
    private ulong? _fingerprint;

    internal ScratchModel(ScratchOptions options, RbfKernelMap imageMap, RbfKernelMap textMap, double[] wxT, double[] wyT, double[] r,
        CodeRegressionFit? imageFit = null, CodeRegressionFit? textFit = null, ulong? fingerprint = null)
    {
        _fingerprint = fingerprint;
        int bits = options.Bits;
        if (wxT.Length != imageMap.AnchorCount * bits || wyT.Length != textMap.AnchorCount * bits || r.Length != bits * bits)
            throw new ArgumentException("Projection shapes do not match the kernel maps and the code length.");
        if ((imageFit is null) != (textFit is null))
            throw new ArgumentException("Code-regression hash functions come for both modalities or for neither.");
        if (imageFit is not null && textFit is not null
            && (imageFit.Projection.Length != imageFit.Map.AnchorCount * bits || imageFit.Bias.Length != bits
                || textFit.Projection.Length != textFit.Map.AnchorCount * bits || textFit.Bias.Length != bits
                || imageFit.Map.InputDimension != imageMap.InputDimension || textFit.Map.InputDimension != textMap.InputDimension))
            throw new ArgumentException("Code-regression shapes do not match their kernel maps, the model's input dimensions and the code length.");
        if (options.HashFunctions == ScratchHashFunctions.Validated)
            throw new ArgumentException("A model encodes with one kind of hash functions: Validated is resolved by training.", nameof(options));
        if (options.HashFunctions == ScratchHashFunctions.CodeRegression && imageFit is null)
            throw new ArgumentException("The options ask for code-regression hash functions, but none were fitted.", nameof(options));
        Options = options;
        ImageMap = imageMap;
        TextMap = textMap;
        _wxT = wxT; _wyT = wyT; _r = r;
        _imageFit = imageFit; _textFit = textFit;
        Layout = new CodeLayout(Math.Max(CodeLayout.MinBits, bits));
        if (options.HashFunctions == ScratchHashFunctions.CodeRegression)
        {
            _imageEncodeMap = imageFit!.Map; _imageProjection = imageFit.Projection; _imageBias = imageFit.Bias;
            _textEncodeMap = textFit!.Map; _textProjection = textFit.Projection; _textBias = textFit.Bias;
            return;
        }
        _imageEncodeMap = imageMap;
        _textEncodeMap = textMap;
        double[] rT = ScratchSolver.Transpose(r, bits);
        _imageProjection = new double[wxT.Length];
        MatrixProducts.Multiply(wxT, rT, _imageProjection, imageMap.AnchorCount, bits, bits);
        _textProjection = new double[wyT.Length];
        MatrixProducts.Multiply(wyT, rT, _textProjection, textMap.AnchorCount, bits, bits);
        _imageBias = new double[bits];
        _textBias = new double[bits];
    }

    /// <summary>The hash functions this model encodes with (<see cref="ScratchOptions.HashFunctions"/>).</summary>
    public ScratchHashFunctions HashFunctions => Options.HashFunctions;

    /// <summary>True when the model holds the code-regression hash functions (it always holds the joint ones).</summary>
    public bool HasCodeRegression => _imageFit is not null;

    /// <summary>The same model encoding with <paramref name="hashFunctions"/> instead (shares every array).</summary>
    /// <exception cref="InvalidOperationException">Code regression asked for, but the model was trained without it.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hashFunctions"/> is <see cref="ScratchHashFunctions.Validated"/> (a choice training makes) or unknown.</exception>
    public ScratchModel WithHashFunctions(ScratchHashFunctions hashFunctions)
    {
        if (hashFunctions is not (ScratchHashFunctions.Joint or ScratchHashFunctions.CodeRegression))
            throw new ArgumentOutOfRangeException(nameof(hashFunctions), hashFunctions, "A model encodes with Joint or CodeRegression hash functions.");
        if (hashFunctions == HashFunctions) return this;
        if (hashFunctions == ScratchHashFunctions.CodeRegression && !HasCodeRegression)
            throw new InvalidOperationException("This model was trained with the joint hash functions only; train with HashFunctions = CodeRegression.");
        return new ScratchModel(Options with { HashFunctions = hashFunctions }, ImageMap, TextMap, _wxT, _wyT, _r, _imageFit, _textFit);
    }

    /// <summary>Relative ridge of the image code regression (the chosen one when cross-validated); NaN without it.</summary>
    public double ImageHashRidge => _imageFit?.Ridge ?? double.NaN;

    /// <summary>Relative ridge of the text code regression; NaN without it.</summary>
    public double TextHashRidge => _textFit?.Ridge ?? double.NaN;

    /// <summary>Anchors of the image code regression's own kernel map; 0 without it.</summary>
    public int ImageHashAnchors => _imageFit?.Map.AnchorCount ?? 0;

    /// <summary>Anchors of the text code regression's own kernel map; 0 without it.</summary>
    public int TextHashAnchors => _textFit?.Map.AnchorCount ?? 0;

    internal CodeRegressionFit? ImageCodeRegression => _imageFit;

    internal CodeRegressionFit? TextCodeRegression => _textFit;

    /// <summary>The options the model was trained with.</summary>
    public ScratchOptions Options { get; }

    /// <summary>Learned code length r in bits.</summary>
    public int Bits => Options.Bits;

    /// <summary>
    /// Identifies the model's content: XxHash3 of the two checksums of its model file, which cover
    /// every byte of it. A model and its saved and loaded copies share it; any other model differs.
    /// Code files written with the model carry it (see <see cref="IO.RawCodeFile"/>), so codes of
    /// another model are refused.
    /// </summary>
    public ulong Fingerprint => _fingerprint ??= ScratchModelFile.Write(this, Stream.Null);

    /// <summary>The engine layout of the codes: r bits, or 8 when r &lt; 8.</summary>
    public CodeLayout Layout { get; }

    /// <summary>Kernel map of the image modality.</summary>
    public RbfKernelMap ImageMap { get; }

    /// <summary>Kernel map of the text modality.</summary>
    public RbfKernelMap TextMap { get; }

    /// <summary>Wxᵀ, row-major (image anchors x bits).</summary>
    public ReadOnlySpan<double> ImageWeightsTransposed => _wxT;

    /// <summary>Wyᵀ, row-major (text anchors x bits).</summary>
    public ReadOnlySpan<double> TextWeightsTransposed => _wyT;

    /// <summary>The orthogonal rotation R, row-major (bits x bits).</summary>
    public ReadOnlySpan<double> Rotation => _r;

    /// <summary>Encodes image rows (raw features, as at training) into packed codes, one per row.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentException">Wrong column count or a NaN/infinite feature.</exception>
    public ulong[] EncodeImages(FeatureMatrix rows) => Encode(rows, _imageEncodeMap, _imageProjection, _imageBias, nameof(rows));

    /// <summary>Encodes text rows (raw features, as at training) into packed codes, one per row.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentException">Wrong column count or a NaN/infinite feature.</exception>
    public ulong[] EncodeTexts(FeatureMatrix rows) => Encode(rows, _textEncodeMap, _textProjection, _textBias, nameof(rows));

    /// <summary>Encodes image rows into <paramref name="destination"/> (rows x <see cref="CodeLayout.WordsPerCode"/> ulongs).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentException">Wrong column count, a NaN/infinite feature, or a destination too short.</exception>
    public void EncodeImages(FeatureMatrix rows, Memory<ulong> destination) => Encode(rows, _imageEncodeMap, _imageProjection, _imageBias, destination, nameof(rows));

    /// <summary>Encodes text rows into <paramref name="destination"/> (rows x <see cref="CodeLayout.WordsPerCode"/> ulongs).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentException">Wrong column count, a NaN/infinite feature, or a destination too short.</exception>
    public void EncodeTexts(FeatureMatrix rows, Memory<ulong> destination) => Encode(rows, _textEncodeMap, _textProjection, _textBias, destination, nameof(rows));

    /// <summary>
    /// Writes the model to <paramref name="path"/> (see <see cref="Save(Stream)"/>) atomically: into a
    /// temporary file beside it, flushed to disk and renamed over it, so a crash or an error keeps the
    /// previous file whole.
    /// </summary>
    /// <exception cref="IOException"><paramref name="path"/> is a directory, its directory does not exist, or it cannot be written.</exception>
    public void Save(string path) => AtomicFile.Write(path, stream => Save(stream));

    /// <summary>
    /// Writes the model: a versioned, checksummed little-endian file holding the options, both kernel
    /// maps (input means, anchors, σ, feature means), Wxᵀ, Wyᵀ and R (format in <see cref="ScratchModelFile"/>).
    /// </summary>
    public void Save(Stream stream) => _fingerprint = ScratchModelFile.Write(this, stream);

    /// <summary>Reads a model written by <see cref="Save(string)"/>.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="ModelFormatException">Not a model file, another format version, truncated, longer than it says, or corrupt (checksum); names the offset, expected and actual value.</exception>
    public static ScratchModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (System.IO.Directory.Exists(path)) throw new IOException($"{path}: is a directory, not a model file.");
        using var stream = File.OpenRead(path);
        return ScratchModelFile.Read(stream, path);
    }

    /// <summary>Reads a model written by <see cref="Save(Stream)"/>; the model must end the stream.</summary>
    /// <exception cref="ModelFormatException">Not a model file, another format version, truncated, followed by other bytes, or corrupt (checksum).</exception>
    public static ScratchModel Load(Stream stream) => ScratchModelFile.Read(stream, "stream");

    private ulong[] Encode(FeatureMatrix rows, RbfKernelMap map, double[] projection, double[] bias, string paramName)
    {
        ArgumentNullException.ThrowIfNull(rows, paramName);
        var codes = new ulong[(long)rows.Rows * Layout.WordsPerCode];
        Encode(rows, map, projection, bias, codes, paramName);
        return codes;
    }

    private void Encode(FeatureMatrix rows, RbfKernelMap map, double[] projection, double[] bias, Memory<ulong> destination, string paramName) =>
        EncodeRows(map, projection, bias, Bits, Layout, rows, destination, Options.MaxDegreeOfParallelism, paramName);

    /// <summary>code bit q of a row = sign(phi(row) · projection[:, q] + bias[q]) (0 counts as +1), packed in <paramref name="layout"/>.</summary>
    internal static void EncodeRows(RbfKernelMap map, double[] projection, double[] bias, int bits, CodeLayout layout, FeatureMatrix rows,
        Memory<ulong> destination, int maxDegreeOfParallelism, string paramName)
    {
        ArgumentNullException.ThrowIfNull(rows, paramName);
        map.CheckRows(rows, paramName);
        int n = rows.Rows, a = map.AnchorCount, d = map.InputDimension;
        CodeLayout Layout = layout;
        if (destination.Length < (long)n * Layout.WordsPerCode)
            throw new ArgumentException($"Destination holds {destination.Length} ulongs; {n} codes of {Layout.WordsPerCode} words are needed.", nameof(destination));
        if (n == 0) return;
        int chunks = SampleBlocks.ChunkCount(n);
        SampleBlocks.ForEachChunk(chunks, maxDegreeOfParallelism,
            () => (Kernel: new KernelWorkspace(d), Phi: new double[SampleBlocks.BlockRows * a], H: new double[SampleBlocks.BlockRows * bits]),
            (chunk, ws) =>
            {
                var (first, end) = SampleBlocks.ChunkBlocks(n, chunks, chunk);
                for (int block = first; block < end; block++)
                {
                    var (start, count) = SampleBlocks.BlockRange(n, block);
                    map.TransformBlock(rows.Values.AsSpan(start * d, count * d), count, ws.Phi, ws.Kernel, KernelStage.Features);
                    MatrixProducts.Multiply(ws.Phi, projection, ws.H, count, a, bits);
                    for (int k = 0; k < count; k++)
                        TensorPrimitives.Add(ws.H.AsSpan(k * bits, bits), bias, ws.H.AsSpan(k * bits, bits));
                    CodePacking.PackSigns(ws.H, count, bits, Layout, destination.Span.Slice(start * Layout.WordsPerCode, count * Layout.WordsPerCode));
                }
            });
    }
}
