using HammingIndex.MultiIndex;
using HammingIndex.Storage;
using HammingIndex.Training.IO;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.CrossModal;

/// <summary>
/// What an application holds to learn and search in-process: a trained SCRATCH model plus one code
/// store per modality with its exact search (multi-index hashing with a scan fallback). Add images
/// and texts by their features; search either store by the features of either modality.
/// </summary>
/// <remarks>
/// On disk an index is a directory: <c>model.scratch</c>, <c>image.hstore</c> / <c>text.hstore</c>
/// (memory-mapped <see cref="CodeStore"/> files, named with <see cref="CodeFiles.StoreExtension"/> as
/// the <c>hamming</c> tool names stores) and their <c>.mih</c> tables. Directories written before the
/// stores had that extension (<c>image.codes</c>) still open. <see cref="Save"/>
/// makes everything added so far durable. Thread-safety is that of the parts: any number of
/// concurrent searches, one writer (Add, Delete, Save) at a time.
/// </remarks>
public sealed class CrossModalIndex : IDisposable
{
    private const string ModelFile = "model.scratch";
    private readonly CodeStore[] _stores;
    private readonly string[]? _storePaths;
    private readonly MultiIndexSearcher[] _searchers;
    private bool _disposed;

    private CrossModalIndex(ScratchModel model, string? directory, CodeStore images, CodeStore texts)
    {
        Model = model;
        Directory = directory;
        _stores = [images, texts];
        _storePaths = directory is null ? null : [images.Path!, texts.Path!];
        _searchers = new MultiIndexSearcher[2];
        for (int m = 0; m < 2; m++)
        {
            _searchers[m] = directory is null
                ? new MultiIndexSearcher(_stores[m])
                : new MultiIndexSearcher(MultiIndexHash.OpenOrBuild(_stores[m], _storePaths![m] + MultiIndexHash.FileExtension));
        }
    }

    /// <summary>The model that encodes features into codes.</summary>
    public ScratchModel Model { get; }

    /// <summary>The directory the index lives in, or null for an index in memory.</summary>
    public string? Directory { get; }

    /// <summary>Code length in bits.</summary>
    public int Bits => Model.Layout.Bits;

    /// <summary>Creates an empty index in memory around <paramref name="model"/>.</summary>
    public static CrossModalIndex CreateInMemory(ScratchModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new CrossModalIndex(model, null, CodeStore.CreateInMemory(model.Layout.Bits), CodeStore.CreateInMemory(model.Layout.Bits));
    }

    /// <summary>Creates an empty index in <paramref name="directory"/> (created if missing; must not hold an index).</summary>
    /// <exception cref="IOException">The directory already holds an index.</exception>
    public static CrossModalIndex Create(ScratchModel model, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        System.IO.Directory.CreateDirectory(directory);
        string modelPath = Path.Combine(directory, ModelFile);
        if (File.Exists(modelPath))
            throw new IOException($"'{directory}' already holds an index ({ModelFile} exists); open it instead.");
        CodeStore images = CodeStore.Create(StorePath(directory, Modality.Image), model.Layout.Bits);
        CodeStore texts = CodeStore.Create(StorePath(directory, Modality.Text), model.Layout.Bits);
        model.Save(modelPath);
        return new CrossModalIndex(model, directory, images, texts);
    }

    /// <summary>Opens an index saved in <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">A part of the index is missing.</exception>
    /// <exception cref="StoreFormatException">A store file is corrupt, truncated or of another version.</exception>
    public static CrossModalIndex Open(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string modelPath = Path.Combine(directory, ModelFile);
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"'{directory}' holds no index: {ModelFile} is missing.", modelPath);
        ScratchModel model = ScratchModel.Load(modelPath);
        CodeStore images = CodeStore.Open(ExistingStorePath(directory, Modality.Image));
        CodeStore texts;
        try
        {
            texts = CodeStore.Open(ExistingStorePath(directory, Modality.Text));
        }
        catch
        {
            images.Dispose();
            throw;
        }
        if (images.Bits != model.Layout.Bits || texts.Bits != model.Layout.Bits)
        {
            images.Dispose();
            texts.Dispose();
            throw new InvalidDataException($"'{directory}': the model makes {model.Layout.Bits}-bit codes but the stores hold {images.Bits}/{texts.Bits}-bit codes.");
        }
        return new CrossModalIndex(model, directory, images, texts);
    }

    /// <summary>The store of one modality's codes.</summary>
    public CodeStore Store(Modality modality) => _stores[Index(modality)];

    /// <summary>Encodes rows of <paramref name="modality"/> features and appends them with their ids.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is null.</exception>
    /// <exception cref="ArgumentException">The id count differs from the row count, or the features are not the model's width or hold NaN/Inf.</exception>
    public void Add(Modality modality, FeatureMatrix features, ReadOnlySpan<long> ids)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(features);
        if (ids.Length != features.Rows)
            throw new ArgumentException($"{ids.Length} ids were given for {features.Rows} feature rows.", nameof(ids));
        ulong[] codes = Encode(modality, features);
        _stores[Index(modality)].AppendRange(codes, ids);
    }

    /// <summary>Deletes every item of <paramref name="modality"/> with id <paramref name="id"/>; returns how many.</summary>
    public int Delete(Modality modality, long id)
    {
        ThrowIfDisposed();
        return _stores[Index(modality)].TryDelete(id);
    }

    /// <summary>Packed codes of rows of <paramref name="modality"/> features (<see cref="Scratch.ScratchModel"/> bit order).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is null.</exception>
    /// <exception cref="ArgumentException">The features are not the model's width or hold NaN/Inf.</exception>
    public ulong[] Encode(Modality modality, FeatureMatrix features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return modality == Modality.Image ? Model.EncodeImages(features) : Model.EncodeTexts(features);
    }

    /// <summary>
    /// The <paramref name="k"/> items of <paramref name="database"/> nearest in Hamming distance to the
    /// item whose <paramref name="queryModality"/> features are <paramref name="features"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The features are not one row of the model's width, or hold NaN/Inf.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    public SearchResult TopK(Modality queryModality, ReadOnlySpan<double> features, Modality database, int k)
    {
        ThrowIfDisposed();
        ulong[] query = EncodeOne(queryModality, features);
        return _searchers[Index(database)].TopK(query, k);
    }

    /// <summary>The items of <paramref name="database"/> within Hamming <paramref name="radius"/> of the encoded query.</summary>
    /// <exception cref="ArgumentException">The features are not one row of the model's width, or hold NaN/Inf.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..bits.</exception>
    public SearchResult WithinRadius(Modality queryModality, ReadOnlySpan<double> features, Modality database, int radius)
    {
        ThrowIfDisposed();
        ulong[] query = EncodeOne(queryModality, features);
        return _searchers[Index(database)].WithinRadius(query, radius);
    }

    /// <summary>
    /// The <paramref name="k"/> items of <paramref name="database"/> nearest to each row of
    /// <paramref name="features"/> (items of <paramref name="queryModality"/>): entry q answers row q.
    /// The rows are encoded together and searched as one batch (tables across cores, one shared scan
    /// for the queries the tables do not answer; see <see cref="MultiIndexSearcher.TopKBatch"/>).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is null.</exception>
    /// <exception cref="ArgumentException">The features are not the model's width, or hold NaN/Inf.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    public SearchResult[] TopKBatch(Modality queryModality, FeatureMatrix features, Modality database, int k)
    {
        ThrowIfDisposed();
        ulong[] queries = Encode(queryModality, features);
        return _searchers[Index(database)].TopKBatch(queries, k);
    }

    /// <summary>The items of <paramref name="database"/> within Hamming <paramref name="radius"/> of each encoded row of <paramref name="features"/>, as one batch.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is null.</exception>
    /// <exception cref="ArgumentException">The features are not the model's width, or hold NaN/Inf.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..bits.</exception>
    public SearchResult[] WithinRadiusBatch(Modality queryModality, FeatureMatrix features, Modality database, int radius)
    {
        ThrowIfDisposed();
        ulong[] queries = Encode(queryModality, features);
        return _searchers[Index(database)].WithinRadiusBatch(queries, radius);
    }

    /// <summary>Makes everything added or deleted durable and saves the multi-index tables beside the stores. A no-op in memory.</summary>
    public void Save()
    {
        ThrowIfDisposed();
        if (Directory is null) return;
        for (int m = 0; m < 2; m++)
        {
            _stores[m].Flush();
            _searchers[m].Index.Rebuild();
            _searchers[m].Index.Save(_storePaths![m] + MultiIndexHash.FileExtension);
        }
    }

    /// <summary>Closes the stores (committing what was appended, as <see cref="CodeStore.Dispose"/> does).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (CodeStore store in _stores) store.Dispose();
    }

    private ulong[] EncodeOne(Modality modality, ReadOnlySpan<double> features) =>
        Encode(modality, new FeatureMatrix(1, features.Length, features.ToArray()));

    private static int Index(Modality modality) => modality switch
    {
        Modality.Image => 0,
        Modality.Text => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(modality), modality, "Modality must be Image or Text."),
    };

    private static string StorePath(string directory, Modality modality) =>
        Path.Combine(directory, (modality == Modality.Image ? "image" : "text") + CodeFiles.StoreExtension);

    /// <summary>The store of <paramref name="modality"/> in an existing index: <see cref="StorePath"/>, or the name it had before stores took <see cref="CodeFiles.StoreExtension"/>.</summary>
    private static string ExistingStorePath(string directory, Modality modality)
    {
        string path = StorePath(directory, modality);
        string legacy = Path.ChangeExtension(path, ".codes");
        return !File.Exists(path) && File.Exists(legacy) && CodeFiles.IsStore(legacy) ? legacy : path;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
