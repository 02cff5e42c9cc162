using HammingIndex.Codes;
using HammingIndex.Storage;
using HammingIndex.Training.Kernelization;

namespace HammingIndex.Training.Scratch;

/// <summary>
/// Trained SCRATCH hash functions: code(x) = sign(R Wx phi_x(x)) for an image row and
/// code(y) = sign(R Wy phi_y(y)) for a text row, a projection of exactly 0 counting as +1. Codes
/// come packed in the engine's format (<see cref="Layout"/>): bit q is bit (q % 64) of word (q / 64),
/// +1 is a 1 bit, -1 a 0 bit. Codes shorter than 8 bits are stored as 8-bit codes whose extra bits
/// are 0, which leaves every Hamming distance unchanged. Immutable and thread-safe.
/// </summary>
public sealed class ScratchModel
{
    private readonly double[] _wxT, _wyT, _r;       // Wxᵀ (ax x r), Wyᵀ (ay x r), R (r x r)
    private readonly double[] _imageProjection;     // (R Wx)ᵀ = Wxᵀ Rᵀ (ax x r)
    private readonly double[] _textProjection;
    private ulong? _fingerprint;

    internal ScratchModel(ScratchOptions options, RbfKernelMap imageMap, RbfKernelMap textMap, double[] wxT, double[] wyT, double[] r, ulong? fingerprint = null)
    {
        _fingerprint = fingerprint;
        int bits = options.Bits;
        if (wxT.Length != imageMap.AnchorCount * bits || wyT.Length != textMap.AnchorCount * bits || r.Length != bits * bits)
            throw new ArgumentException("Projection shapes do not match the kernel maps and the code length.");
        Options = options;
        ImageMap = imageMap;
        TextMap = textMap;
        _wxT = wxT; _wyT = wyT; _r = r;
        Layout = new CodeLayout(Math.Max(CodeLayout.MinBits, bits));
        double[] rT = ScratchSolver.Transpose(r, bits);
        _imageProjection = new double[wxT.Length];
        MatrixProducts.Multiply(wxT, rT, _imageProjection, imageMap.AnchorCount, bits, bits);
        _textProjection = new double[wyT.Length];
        MatrixProducts.Multiply(wyT, rT, _textProjection, textMap.AnchorCount, bits, bits);
    }

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
    public ulong[] EncodeImages(FeatureMatrix rows) => Encode(rows, ImageMap, _imageProjection, nameof(rows));

    /// <summary>Encodes text rows (raw features, as at training) into packed codes, one per row.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentException">Wrong column count or a NaN/infinite feature.</exception>
    public ulong[] EncodeTexts(FeatureMatrix rows) => Encode(rows, TextMap, _textProjection, nameof(rows));

    /// <summary>Encodes image rows into <paramref name="destination"/> (rows x <see cref="CodeLayout.WordsPerCode"/> ulongs).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentException">Wrong column count, a NaN/infinite feature, or a destination too short.</exception>
    public void EncodeImages(FeatureMatrix rows, Memory<ulong> destination) => Encode(rows, ImageMap, _imageProjection, destination, nameof(rows));

    /// <summary>Encodes text rows into <paramref name="destination"/> (rows x <see cref="CodeLayout.WordsPerCode"/> ulongs).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentException">Wrong column count, a NaN/infinite feature, or a destination too short.</exception>
    public void EncodeTexts(FeatureMatrix rows, Memory<ulong> destination) => Encode(rows, TextMap, _textProjection, destination, nameof(rows));

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

    private ulong[] Encode(FeatureMatrix rows, RbfKernelMap map, double[] projection, string paramName)
    {
        ArgumentNullException.ThrowIfNull(rows, paramName);
        var codes = new ulong[(long)rows.Rows * Layout.WordsPerCode];
        Encode(rows, map, projection, codes, paramName);
        return codes;
    }

    private void Encode(FeatureMatrix rows, RbfKernelMap map, double[] projection, Memory<ulong> destination, string paramName)
    {
        ArgumentNullException.ThrowIfNull(rows, paramName);
        map.CheckRows(rows, paramName);
        int n = rows.Rows, a = map.AnchorCount, d = map.InputDimension, bits = Bits;
        if (destination.Length < (long)n * Layout.WordsPerCode)
            throw new ArgumentException($"Destination holds {destination.Length} ulongs; {n} codes of {Layout.WordsPerCode} words are needed.", nameof(destination));
        if (n == 0) return;
        int chunks = SampleBlocks.ChunkCount(n);
        SampleBlocks.ForEachChunk(chunks, Options.MaxDegreeOfParallelism,
            () => (Kernel: new KernelWorkspace(d), Phi: new double[SampleBlocks.BlockRows * a], H: new double[SampleBlocks.BlockRows * bits]),
            (chunk, ws) =>
            {
                var (first, end) = SampleBlocks.ChunkBlocks(n, chunks, chunk);
                for (int block = first; block < end; block++)
                {
                    var (start, count) = SampleBlocks.BlockRange(n, block);
                    map.TransformBlock(rows.Values.AsSpan(start * d, count * d), count, ws.Phi, ws.Kernel, KernelStage.Features);
                    MatrixProducts.Multiply(ws.Phi, projection, ws.H, count, a, bits);
                    CodePacking.PackSigns(ws.H, count, bits, Layout, destination.Span.Slice(start * Layout.WordsPerCode, count * Layout.WordsPerCode));
                }
            });
    }
}
