using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using HammingIndex.Training.Kernelization;

namespace HammingIndex.Training.Scratch;

/// <summary>
/// The SCRATCH model file, little-endian:
/// <list type="number">
/// <item>magic "HXSCRTCH" (8 bytes), format version (u32, now 3), header length H (u32);</item>
/// <item>header (H bytes): bits, lx, alpha, mu, gamma, iterations, anchors, anchor selection,
/// k-means iterations, seed, allow-unlabeled flag, then per modality (image, text): input dimension
/// d, anchor count a, σ; since version 2: hash functions (i32), hash ridge option (f64), a
/// code-regression flag (bool) and, when set, the chosen ridge per modality (2 x f64); since
/// version 3: the hash anchors option (i32) and, when the flag is set, per modality the anchor count
/// and σ of the code regression's own kernel map (i32, f64);</item>
/// <item>XxHash3 (u64) of everything above;</item>
/// <item>body, f64 arrays: image input mean (d), anchors (a x d), feature mean (a); the same for
/// text; Wxᵀ (a_x x r); Wyᵀ (a_y x r); R (r x r); since version 2 and when the flag is set:
/// Px (a_x x r), cx (r), Py (a_y x r), cy (r) — since version 3 each preceded by its own kernel
/// map's input mean (d), anchors (a' x d) and feature mean (a'), P then being a' x r;</item>
/// <item>XxHash3 (u64) of the body.</item>
/// </list>
/// Reading checks magic, version, both checksums and every length before it allocates or trusts it.
/// Version 1 files (before the code-regression hash functions) still load, as joint-hash models;
/// version 2 files load with the code regression reading the model's kernel maps.
/// Bytes past the body checksum are refused. The model's fingerprint is XxHash3 of the two stored
/// checksums (which cover every other byte), so it identifies the file's content.
/// </summary>
internal static class ScratchModelFile
{
    public const uint Version = 3;
    private const uint SharedMapVersion = 2;
    private const uint FirstVersion = 1;
    private static ReadOnlySpan<byte> Magic => "HXSCRTCH"u8;
    private const int MaxHeaderLength = 1024;
    private const long MaxArrayLength = 1L << 28;

    /// <summary>Writes <paramref name="model"/> to <paramref name="stream"/> and returns its fingerprint.</summary>
    public static ulong Write(ScratchModel model, Stream stream)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Model files are written on little-endian machines only.");
        var header = new MemoryStream();
        using (var w = new BinaryWriter(header, Encoding.UTF8, leaveOpen: true))
        {
            var o = model.Options;
            w.Write(o.Bits); w.Write(o.LambdaX); w.Write(o.Alpha); w.Write(o.Mu); w.Write(o.Gamma);
            w.Write(o.Iterations); w.Write(o.Anchors); w.Write((int)o.AnchorSelection); w.Write(o.KMeansIterations);
            w.Write(o.Seed); w.Write(o.AllowUnlabeledRows);
            foreach (var map in new[] { model.ImageMap, model.TextMap })
            {
                w.Write(map.InputDimension); w.Write(map.AnchorCount); w.Write(map.Sigma);
            }
            w.Write((int)o.HashFunctions); w.Write(o.HashRidge); w.Write(model.HasCodeRegression);
            if (model.HasCodeRegression) { w.Write(model.ImageHashRidge); w.Write(model.TextHashRidge); }
            w.Write(o.HashAnchors);
            if (model.ImageCodeRegression is { } imageFit && model.TextCodeRegression is { } textFit)
                foreach (var map in new[] { imageFit.Map, textFit.Map }) { w.Write(map.AnchorCount); w.Write(map.Sigma); }
        }
        var prefix = new byte[16];
        Magic.CopyTo(prefix);
        BitConverter.TryWriteBytes(prefix.AsSpan(8), Version);
        BitConverter.TryWriteBytes(prefix.AsSpan(12), (uint)header.Length);
        var headerHash = new XxHash3();
        headerHash.Append(prefix);
        headerHash.Append(header.GetBuffer().AsSpan(0, (int)header.Length));
        ulong headerChecksum = headerHash.GetCurrentHashAsUInt64();
        stream.Write(prefix);
        stream.Write(header.GetBuffer().AsSpan(0, (int)header.Length));
        stream.Write(BitConverter.GetBytes(headerChecksum));

        var bodyHash = new XxHash3();
        void Array(ReadOnlySpan<double> values)
        {
            ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values);
            bodyHash.Append(bytes);
            stream.Write(bytes);
        }
        foreach (var map in new[] { model.ImageMap, model.TextMap })
        {
            Array(map.InputMean); Array(map.Anchors); Array(map.FeatureMean);
        }
        Array(model.ImageWeightsTransposed); Array(model.TextWeightsTransposed); Array(model.Rotation);
        if (model.ImageCodeRegression is { } image && model.TextCodeRegression is { } text)
        {
            foreach (var fit in new[] { image, text })
            {
                Array(fit.Map.InputMean); Array(fit.Map.Anchors); Array(fit.Map.FeatureMean);
                Array(fit.Projection); Array(fit.Bias);
            }
        }
        ulong bodyChecksum = bodyHash.GetCurrentHashAsUInt64();
        stream.Write(BitConverter.GetBytes(bodyChecksum));
        return Fingerprint(headerChecksum, bodyChecksum);
    }

    /// <summary>The fingerprint of a model file whose stored checksums are <paramref name="header"/> and <paramref name="body"/>.</summary>
    private static ulong Fingerprint(ulong header, ulong body)
    {
        Span<byte> both = stackalloc byte[16];
        BitConverter.TryWriteBytes(both, header);
        BitConverter.TryWriteBytes(both[8..], body);
        return XxHash3.HashToUInt64(both);
    }

    public static ScratchModel Read(Stream stream, string source)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Model files are read on little-endian machines only.");
        var prefix = new byte[16];
        ReadExactly(stream, prefix, source, "the file prefix", 0);
        if (!prefix.AsSpan(0, 8).SequenceEqual(Magic))
            throw new ModelFormatException(source, $"not a SCRATCH model file: magic is '{Printable(prefix.AsSpan(0, 8))}', expected 'HXSCRTCH'.", 0, "HXSCRTCH", Printable(prefix.AsSpan(0, 8)));
        uint version = BitConverter.ToUInt32(prefix, 8);
        if (version is < FirstVersion or > Version)
            throw new ModelFormatException(source, $"a SCRATCH model of format version {version}; this build reads versions {FirstVersion} to {Version}.", 8,
                $"{FirstVersion} to {Version}", version.ToString(CultureInfo.InvariantCulture));
        uint headerLength = BitConverter.ToUInt32(prefix, 12);
        if (headerLength > MaxHeaderLength)
            throw new ModelFormatException(source, $"header length {headerLength} exceeds {MaxHeaderLength}: the file is corrupt.", 12, $"at most {MaxHeaderLength}", headerLength.ToString(CultureInfo.InvariantCulture));
        var header = new byte[headerLength + 8];
        ReadExactly(stream, header, source, "the header", 16);
        var headerHash = new XxHash3();
        headerHash.Append(prefix);
        headerHash.Append(header.AsSpan(0, (int)headerLength));
        ulong storedHeader = BitConverter.ToUInt64(header, (int)headerLength), computedHeader = headerHash.GetCurrentHashAsUInt64();
        if (storedHeader != computedHeader)
            throw new ModelFormatException(source, $"header checksum mismatch (stored 0x{storedHeader:X16}, computed 0x{computedHeader:X16}): the file is corrupt.", 16 + headerLength, $"0x{computedHeader:X16}", $"0x{storedHeader:X16}");

        ScratchOptions options;
        var dims = new (int D, int A, double Sigma)[2];
        bool hasRegression = false;
        double imageRidge = 0, textRidge = 0;
        var hashDims = new (int A, double Sigma)[2]; // the code regression's own maps (version 3)
        try
        {
            using var r = new BinaryReader(new MemoryStream(header, 0, (int)headerLength));
            options = new ScratchOptions
            {
                Bits = r.ReadInt32(), LambdaX = r.ReadDouble(), Alpha = r.ReadDouble(), Mu = r.ReadDouble(), Gamma = r.ReadDouble(),
                Iterations = r.ReadInt32(), Anchors = r.ReadInt32(), AnchorSelection = (AnchorSelection)r.ReadInt32(),
                KMeansIterations = r.ReadInt32(), Seed = r.ReadInt32(), AllowUnlabeledRows = r.ReadBoolean(),
            };
            for (int m = 0; m < 2; m++) dims[m] = (r.ReadInt32(), r.ReadInt32(), r.ReadDouble());
            if (version == FirstVersion)
            {
                options = options with { HashFunctions = ScratchHashFunctions.Joint };
            }
            else
            {
                options = options with { HashFunctions = (ScratchHashFunctions)r.ReadInt32(), HashRidge = r.ReadDouble() };
                hasRegression = r.ReadBoolean();
                if (hasRegression) { imageRidge = r.ReadDouble(); textRidge = r.ReadDouble(); }
                if (version > SharedMapVersion)
                {
                    options = options with { HashAnchors = r.ReadInt32() };
                    if (hasRegression)
                        for (int m = 0; m < 2; m++) hashDims[m] = (r.ReadInt32(), r.ReadDouble());
                }
            }
            if (r.BaseStream.Position != headerLength)
                throw new ModelFormatException(source, $"the header holds {headerLength - r.BaseStream.Position} bytes after its last field: the file is corrupt.", 16 + r.BaseStream.Position,
                    $"{r.BaseStream.Position} header bytes", $"{headerLength} header bytes");
            options.Validate();
            if (options.HashFunctions == ScratchHashFunctions.Validated)
                throw new ModelFormatException(source, "the header names the Validated hash functions, which training resolves: the file is corrupt.", 16);
            if (options.HashFunctions == ScratchHashFunctions.CodeRegression && !hasRegression)
                throw new ModelFormatException(source, "the header names code-regression hash functions but the file holds none: the file is corrupt.", 16);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException)
        {
            throw new ModelFormatException(source, $"the header is inconsistent: {e.Message}", 16, inner: e);
        }
        int bits = options.Bits;
        foreach (var (d, a, sigma) in dims) CheckMapShape(source, d, a, sigma, bits);
        bool ownMaps = hasRegression && version > SharedMapVersion;
        if (hasRegression && !ownMaps)
            for (int m = 0; m < 2; m++) hashDims[m] = (dims[m].A, dims[m].Sigma);
        if (ownMaps)
            for (int m = 0; m < 2; m++) CheckMapShape(source, dims[m].D, hashDims[m].A, hashDims[m].Sigma, bits);

        long bodyStart = 24L + headerLength;
        long bodyLength = 8L * ((long)bits * (dims[0].A + dims[1].A + bits) + 1); // arrays + checksum
        if (hasRegression) bodyLength += 8L * bits * (hashDims[0].A + hashDims[1].A + 2);
        if (ownMaps)
            for (int m = 0; m < 2; m++) bodyLength += 8L * (dims[m].D + (long)hashDims[m].A * dims[m].D + hashDims[m].A);
        foreach (var (d, a, _) in dims) bodyLength += 8L * (d + (long)a * d + a);
        long fileLength = bodyStart + bodyLength;
        if (stream.CanSeek && stream.Length - stream.Position != bodyLength)
        {
            long actualLength = stream.Length - stream.Position + bodyStart;
            string what = actualLength < fileLength ? "is truncated" : "has bytes past its end";
            throw new ModelFormatException(source, $"{what}: the header announces a {fileLength}-byte file, but it holds {actualLength} bytes.",
                Math.Min(fileLength, actualLength), $"{fileLength} bytes", $"{actualLength} bytes");
        }

        var bodyHash = new XxHash3();
        long position = bodyStart;
        double[] Array(long length, string what)
        {
            var values = new double[length];
            Span<byte> bytes = MemoryMarshal.AsBytes(values.AsSpan());
            ReadExactly(stream, bytes, source, what, position);
            position += bytes.Length;
            bodyHash.Append(bytes);
            return values;
        }
        var parts = new (double[] Mean, double[] Anchors, double[] FeatureMean)[2];
        for (int m = 0; m < 2; m++)
        {
            var (d, a, _) = dims[m];
            parts[m] = (Array(d, "an input mean"), Array((long)a * d, "the anchors"), Array(a, "a feature mean"));
        }
        double[] wxT = Array((long)dims[0].A * bits, "Wx"), wyT = Array((long)dims[1].A * bits, "Wy"), rotation = Array((long)bits * bits, "R");
        var hashParts = new (double[] Mean, double[] Anchors, double[] FeatureMean, double[] P, double[] C)[hasRegression ? 2 : 0];
        for (int m = 0; m < hashParts.Length; m++)
        {
            int d = dims[m].D, a = hashDims[m].A;
            if (ownMaps) (hashParts[m].Mean, hashParts[m].Anchors, hashParts[m].FeatureMean) = (Array(d, "an input mean"), Array((long)a * d, "the anchors"), Array(a, "a feature mean"));
            (hashParts[m].P, hashParts[m].C) = (Array((long)a * bits, m == 0 ? "Px" : "Py"), Array(bits, m == 0 ? "cx" : "cy"));
        }
        var footer = new byte[8];
        ReadExactly(stream, footer, source, "the body checksum", position);
        ulong storedBody = BitConverter.ToUInt64(footer), computedBody = bodyHash.GetCurrentHashAsUInt64();
        if (storedBody != computedBody)
            throw new ModelFormatException(source, $"body checksum mismatch (stored 0x{storedBody:X16}, computed 0x{computedBody:X16}): the file is corrupt.", position, $"0x{computedBody:X16}", $"0x{storedBody:X16}");
        if (!stream.CanSeek && stream.ReadByte() >= 0)
            throw new ModelFormatException(source, $"has bytes past its end: the header announces a {fileLength}-byte file.", fileLength, $"{fileLength} bytes", $"more than {fileLength} bytes");

        var maps = new RbfKernelMap[2];
        for (int m = 0; m < 2; m++)
            maps[m] = new RbfKernelMap(parts[m].Mean, parts[m].Anchors, dims[m].A, dims[m].Sigma, parts[m].FeatureMean);
        CodeRegressionFit? imageFit = null, textFit = null;
        if (hasRegression)
        {
            CodeRegressionFit Fit(int m, double ridge) => new(
                ownMaps ? new RbfKernelMap(hashParts[m].Mean, hashParts[m].Anchors, hashDims[m].A, hashDims[m].Sigma, hashParts[m].FeatureMean) : maps[m],
                hashParts[m].P, hashParts[m].C, ridge, [], [], []);
            imageFit = Fit(0, imageRidge);
            textFit = Fit(1, textRidge);
        }
        return new ScratchModel(options, maps[0], maps[1], wxT, wyT, rotation, imageFit, textFit, Fingerprint(storedHeader, storedBody));
    }

    private static void CheckMapShape(string source, int d, int a, double sigma, int bits)
    {
        if (d < 1 || a < 1 || (long)a * d > MaxArrayLength || (long)a * bits > MaxArrayLength || !(sigma > 0) || !double.IsFinite(sigma))
            throw new ModelFormatException(source, $"kernel map shape d = {d}, a = {a}, sigma = {sigma} is invalid.", 16);
    }

    private static string Printable(ReadOnlySpan<byte> bytes) =>
        string.Concat(bytes.ToArray().Select(b => b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:X2}"));

    private static void ReadExactly(Stream stream, Span<byte> buffer, string source, string what, long offset)
    {
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
            throw new ModelFormatException(source, $"is truncated: it ends inside {what} (at byte {offset + read}; {buffer.Length} bytes from byte {offset} expected).",
                offset + read, $"{offset + buffer.Length} bytes", $"{offset + read} bytes");
    }
}
