using HammingIndex.Training.CrossModal;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HammingIndex.Cli.Infrastructure;
using HammingIndex.Indexing;
using HammingIndex.MultiIndex;
using HammingIndex.Search;
using HammingIndex.Storage;
using HammingIndex.Training.IO;
using Spectre.Console.Cli;

namespace HammingIndex.Cli.Commands;

internal sealed class SearchSettings : OutputSettings
{
    [CommandOption("-s|--store <PATH>")]
    [Description("(required) The codes to search: a store file (.hstore; recognised by its content, whatever its name), or a raw code file (.codes; headerless ones with --bits).")]
    public string Store { get; init; } = "";

    [CommandOption("-q|--queries <PATH>")]
    [Description("(required) Query codes (.codes, same bits as the store), or query features (.npy/.fvecs/.bvecs/.csv/.tsv) with --model and --modality.")]
    public string Queries { get; init; } = "";

    [CommandOption("-b|--bits <BITS>")]
    [Description("Code length of headerless raw code files (a store or a code file with a header knows its own; given, it must agree).")]
    public int? Bits { get; init; }

    [CommandOption("--packing <PACKING>")]
    [Description("Layout of headerless raw code files: words (ceil(bits/64) little-endian ulongs per code, the default) or bytes (ceil(bits/8) bytes). A code file with a header says its own.")]
    public RawCodePacking? Packing { get; init; }

    [CommandOption("-m|--model <PATH>")]
    [Description("A model from 'hamming train', to encode query features.")]
    public string? Model { get; init; }

    [CommandOption("--modality <MODALITY>")]
    [Description("Which of the model's hash functions encodes the query features: image or text.")]
    public string? Modality { get; init; }

    [CommandOption("-k|--top-k <K>")]
    [Description("Number of nearest neighbours per query (ignored with --radius).")]
    [DefaultValue(10)]
    public int K { get; init; }

    [CommandOption("-r|--radius <R>")]
    [Description("Return every code within this Hamming distance instead of the k nearest.")]
    public int? Radius { get; init; }

    [CommandOption("--path <PATH>")]
    [Description("Search path: auto (the multi-index front door decides per query), scan, or mih.")]
    [DefaultValue(QueryPath.Auto)]
    public QueryPath Path { get; init; }

    [CommandOption("--batch")]
    [Description("Search all queries as one batch, across cores (the front door: tables first, one shared scan for the rest); the time column is then the batch's time per query.")]
    public bool Batch { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("Output: tsv (one line per result, header first) or json (one JSON object per query).")]
    [DefaultValue("tsv")]
    public string Format { get; init; } = "tsv";

    [CommandOption("-o|--out <PATH>")]
    [Description("Write the results to this file instead of stdout.")]
    public string? Out { get; init; }

    public override Spectre.Console.ValidationResult Validate()
    {
        if (string.IsNullOrEmpty(Store)) return Spectre.Console.ValidationResult.Error("--store is required.");
        if (string.IsNullOrEmpty(Queries)) return Spectre.Console.ValidationResult.Error("--queries is required.");
        if (K <= 0) return Spectre.Console.ValidationResult.Error($"--top-k must be at least 1, not {K}.");
        if (Radius < 0) return Spectre.Console.ValidationResult.Error($"--radius must be 0 or more, not {Radius}.");
        if (Format is not ("tsv" or "json")) return Spectre.Console.ValidationResult.Error($"--format must be tsv or json, not '{Format}'.");
        return Spectre.Console.ValidationResult.Success();
    }
}

/// <summary><c>hamming search</c>: top-k or radius queries, one result line (TSV) or object (JSON) per query with the path and time.</summary>
internal sealed class SearchCommand(CliConsole console) : AsyncCommand<SearchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, SearchSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Out is not null) OutputPaths.Check(settings.Out, "--out", settings.Overwrite);
        (CodeStore opened, ulong? fingerprint) = await StoreFiles.OpenAsync(console, settings.Store, settings.Bits, settings.Packing, cancellationToken);
        using CodeStore store = opened;
        if (settings.Radius > store.Bits)
            throw new CliException($"--radius {settings.Radius} is more than the code length {store.Bits}.");
        (ulong[] queries, long[] queryIds) = await QueryCodes.LoadAsync(console, settings.Queries, store.Bits, fingerprint, settings.Store, settings.Packing,
            settings.Model, settings.Modality, cancellationToken);
        IHammingSearcher searcher = QueryPaths.Searcher(store, settings.Path);

        if (settings.Out is null)
        {
            Write(console.Out, settings, store, searcher, queries, queryIds, cancellationToken);
            await console.Out.FlushAsync(cancellationToken);
            return 0;
        }
        AtomicFile.Write(settings.Out, stream => // the results appear whole, or not at all
        {
            using var output = new StreamWriter(stream, leaveOpen: true);
            Write(output, settings, store, searcher, queries, queryIds, cancellationToken);
        });
        return 0;
    }

    private static void Write(TextWriter output, SearchSettings settings, CodeStore store, IHammingSearcher searcher, ulong[] queries, long[] queryIds,
        CancellationToken cancellationToken)
    {
        int words = store.Layout.WordsPerCode;
        bool json = settings.Format == "json";
        if (!json) output.WriteLine("query\tquery_id\trank\tid\tdistance\tpath\tcandidates\tmicroseconds");
        if (queryIds.Length > 0) // warm up (JIT, pools) so the first query's time is not the compiler's
            _ = settings.Radius is int r0 ? searcher.WithinRadius(queries.AsSpan(0, words), r0) : searcher.TopK(queries.AsSpan(0, words), settings.K);
        SearchResult[]? batch = null;
        double batchMicros = 0;
        if (settings.Batch)
        {
            long start = Stopwatch.GetTimestamp();
            batch = settings.Radius is int rb ? searcher.WithinRadiusBatch(queries, rb, cancellationToken) : searcher.TopKBatch(queries, settings.K, cancellationToken);
            batchMicros = queryIds.Length == 0 ? 0 : Stopwatch.GetElapsedTime(start).TotalMicroseconds / queryIds.Length;
        }
        for (int q = 0; q < queryIds.Length; q++)
        {
            ReadOnlySpan<ulong> query = queries.AsSpan(q * words, words);
            double micros = batchMicros;
            SearchResult answer;
            if (batch is not null)
            {
                answer = batch[q];
            }
            else
            {
                long start = Stopwatch.GetTimestamp();
                answer = settings.Radius is int r ? searcher.WithinRadius(query, r) : searcher.TopK(query, settings.K);
                micros = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
            string time = micros.ToString("F1", CultureInfo.InvariantCulture);
            string path = QueryPaths.Name(answer.Path);
            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    query = q,
                    query_id = queryIds[q],
                    path,
                    candidates = answer.CandidatesVerified,
                    microseconds = Math.Round(micros, 1),
                    results = answer.Neighbors.Select(n => new { id = n.Id, distance = n.Distance }),
                }));
            }
            else if (answer.Neighbors.Length == 0)
            {
                output.WriteLine($"{q}\t{queryIds[q]}\t0\t\t\t{path}\t{answer.CandidatesVerified}\t{time}");
            }
            else
            {
                for (int i = 0; i < answer.Neighbors.Length; i++)
                {
                    Neighbor n = answer.Neighbors[i];
                    output.WriteLine($"{q}\t{queryIds[q]}\t{i + 1}\t{n.Id}\t{n.Distance}\t{path}\t{answer.CandidatesVerified}\t{time}");
                }
            }
        }
    }
}
