using HammingIndex.Indexing;
using HammingIndex.MultiIndex;
using HammingIndex.Storage;
using HammingIndex.Training.IO;
using HammingIndex.Training.Scratch;

namespace HammingIndex.Training.CrossModal;

/// <summary>
/// What an application holds to learn and search in-process: a trained SCRATCH model plus one
/// <see cref="CodeIndex"/> per modality (exact search: multi-index hashing with a scan fallback). Add
/// images and texts by their features; search either modality by the features of either.
/// </summary>
/// <remarks>
/// On disk an index is a directory: <c>model.scratch</c>, <c>image.hstore</c> / <c>text.hstore</c>
/// (<see cref="CodeIndex"/> files, named with <see cref="CodeFiles.StoreExtension"/> as the
/// <c>hamming</c> tool names stores; directories written when stores were named <c>image.codes</c> still open) and their
/// <c>.mih</c> tables. <see cref="Save"/> makes everything added so far durable. Ids are unique within a modality. Thread-safety is that of
/// <see cref="CodeIndex"/>: any number of concurrent searches, also during one writer's Add, Delete or
/// Save; table rebuilds run in the background, never inside a search.
/// </remarks>
public sealed class CrossModalIndex : IDisposable
{
    private const string ModelFile = "model.scratch";
    private readonly CodeIndex[] _indexes;
    private bool _disposed;

    private CrossModalIndex(ScratchModel model, string? directory, CodeIndex images, CodeIndex texts)
    {
        Model = model;
        Directory = directory;
        _indexes = [images, texts];
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
        return new CrossModalIndex(model, null, CodeIndex.CreateInMemory(model.Layout.Bits), CodeIndex.CreateInMemory(model.Layout.Bits));
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
        CodeIndex images = CodeIndex.Create(StorePath(directory, Modality.Image), model.Layout.Bits);
        CodeIndex texts;
        try
        {
            texts = CodeIndex.Create(StorePath(directory, Modality.Text), model.Layout.Bits);
        }
        catch
        {
            images.Dispose();
            throw;
        }
        model.Save(modelPath);
        return new CrossModalIndex(model, directory, images, texts);
    }

    /// <summary>Opens an index saved in <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">A part of the index is missing.</exception>
    /// <exception cref="StoreFormatException">A store file is corrupt, truncated or of another version.</exception>
    /// <exception cref="InvalidDataException">The stores' code length is not the model's.</exception>
    public static CrossModalIndex Open(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string modelPath = Path.Combine(directory, ModelFile);
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"'{directory}' holds no index: {ModelFile} is missing.", modelPath);
        ScratchModel model = ScratchModel.Load(modelPath);
        CodeIndex images = CodeIndex.Open(ExistingStorePath(directory, Modality.Image));
        CodeIndex texts;
        try
        {
            texts = CodeIndex.Open(ExistingStorePath(directory, Modality.Text));
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
    public CodeStore Store(Modality modality) => Codes(modality).Store;

    /// <summary>The index of one modality's codes (lookups by id, searches by code).</summary>
    public CodeIndex Codes(Modality modality) => _indexes[Index(modality)];

    /// <summary>Encodes rows of <paramref name="modality"/> features and appends them with their ids.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is null.</exception>
    /// <exception cref="ArgumentException">The id count differs from the row count, an id repeats or is already live in that modality, or the features are not the model's width or hold NaN/Inf.</exception>
    public void Add(Modality modality, FeatureMatrix features, ReadOnlySpan<long> ids)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(features);
        if (ids.Length != features.Rows)
            throw new ArgumentException($"{ids.Length} ids were given for {features.Rows} feature rows.", nameof(ids));
        ulong[] codes = Encode(modality, features);
        _indexes[Index(modality)].AddRange(codes, ids);
    }

    /// <summary>
    /// Appends items that were in the model's training set with their learned training codes B
    /// (<see cref="Scratch.ScratchTrainingResult.TrainingCodes"/>, rows in training order) instead of
    /// their hash codes. For training items this is the better database: B carries their labels, while
    /// the hash functions reproduce B only approximately (see docs/QUALITY.md: "training codes" against
    /// "encoded database"). Items outside the training set have no learned code: add them with
    /// <see cref="Add"/>. The codes are stored as given; the same B may go to both modalities' stores.
    /// </summary>
    /// <param name="modality">The store to append to.</param>
    /// <param name="trainingCodes">B, packed in the model's layout, one code per training row.</param>
    /// <param name="trainingRows">Which training rows to add (indices into <paramref name="trainingCodes"/>).</param>
    /// <param name="ids">The id of each added row.</param>
    /// <exception cref="ArgumentNullException"><paramref name="trainingCodes"/> is null.</exception>
    /// <exception cref="ArgumentException">The codes are not whole codes of the model's layout (or set padding bits), the id count differs from the row count, or a row is out of range (named with its position and value).</exception>
    public void AddTrainingCodes(Modality modality, ulong[] trainingCodes, ReadOnlySpan<int> trainingRows, ReadOnlySpan<long> ids)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(trainingCodes);
        if (ids.Length != trainingRows.Length)
            throw new ArgumentException($"{ids.Length} ids were given for {trainingRows.Length} training rows.", nameof(ids));
        int words = Model.Layout.WordsPerCode;
        int count = Model.Layout.ValidateCodes(trainingCodes, nameof(trainingCodes));
        var codes = new ulong[(long)trainingRows.Length * words];
        for (int k = 0; k < trainingRows.Length; k++)
        {
            int row = trainingRows[k];
            if ((uint)row >= (uint)count)
                throw new ArgumentException($"trainingRows[{k}] = {row} is outside the {count} training codes.", nameof(trainingRows));
            trainingCodes.AsSpan(row * words, words).CopyTo(codes.AsSpan(k * words, words));
        }
        _indexes[Index(modality)].AddRange(codes, ids);
    }

    /// <summary>Deletes the item of <paramref name="modality"/> with id <paramref name="id"/>; returns how many were deleted (0 or 1).</summary>
    public int Delete(Modality modality, long id)
    {
        ThrowIfDisposed();
        return _indexes[Index(modality)].Delete(id) ? 1 : 0;
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
        return Searcher(database).TopK(query, k);
    }

    /// <summary>The items of <paramref name="database"/> within Hamming <paramref name="radius"/> of the encoded query.</summary>
    /// <exception cref="ArgumentException">The features are not one row of the model's width, or hold NaN/Inf.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..bits.</exception>
    public SearchResult WithinRadius(Modality queryModality, ReadOnlySpan<double> features, Modality database, int radius)
    {
        ThrowIfDisposed();
        ulong[] query = EncodeOne(queryModality, features);
        return Searcher(database).WithinRadius(query, radius);
    }

    /// <summary>
    /// The <paramref name="k"/> items of <paramref name="database"/> nearest to each row of
    /// <paramref name="features"/> (items of <paramref name="queryModality"/>): entry q answers row q.
    /// The rows are encoded together and searched as one batch (tables across cores, one shared scan
    /// for the queries the tables do not answer; see <see cref="MultiIndexSearcher.TopKBatch(ReadOnlySpan{ulong}, int)"/>).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is null.</exception>
    /// <exception cref="ArgumentException">The features are not the model's width, or hold NaN/Inf.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    public SearchResult[] TopKBatch(Modality queryModality, FeatureMatrix features, Modality database, int k)
    {
        ThrowIfDisposed();
        ulong[] queries = Encode(queryModality, features);
        return Searcher(database).TopKBatch(queries, k, CancellationToken.None);
    }

    /// <summary>The items of <paramref name="database"/> within Hamming <paramref name="radius"/> of each encoded row of <paramref name="features"/>, as one batch.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is null.</exception>
    /// <exception cref="ArgumentException">The features are not the model's width, or hold NaN/Inf.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="radius"/> is outside 0..bits.</exception>
    public SearchResult[] WithinRadiusBatch(Modality queryModality, FeatureMatrix features, Modality database, int radius)
    {
        ThrowIfDisposed();
        ulong[] queries = Encode(queryModality, features);
        return Searcher(database).WithinRadiusBatch(queries, radius, CancellationToken.None);
    }

    /// <summary>
    /// Makes everything added or deleted durable, and rebuilds and saves the multi-index tables beside the
    /// stores (so a reopened index scans no delta). A no-op in memory.
    /// </summary>
    public void Save()
    {
        ThrowIfDisposed();
        if (Directory is null) return;
        foreach (CodeIndex index in _indexes)
        {
            if (index.DeltaCount > 0) index.RebuildTables();
            index.Flush();
        }
    }

    /// <summary>Closes both indexes (committing what was added, as <see cref="CodeIndex.Dispose"/> does).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (CodeIndex index in _indexes) index.Dispose();
    }

    /// <summary>The searcher of a modality's codes.</summary>
    private IHammingSearcher Searcher(Modality database) => _indexes[Index(database)];

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
