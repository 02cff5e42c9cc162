using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using HammingIndex.Cli.Infrastructure;
using HammingIndex.MultiIndex;
using HammingIndex.Orleans.Client;
using HammingIndex.Orleans.Hosting;
using HammingIndex.Orleans.Messages;
using HammingIndex.Search;
using HammingIndex.Storage;
using HammingIndex.Training.IO;
using Spectre.Console.Cli;

namespace HammingIndex.Cli.Commands;

/// <summary><c>hamming cluster load|search|status</c>: a sharded index on an Orleans cluster (scripts/cluster.sh).</summary>
internal static class ClusterCommand
{
    public static void Register(IConfigurator config) =>
        config.AddBranch<ClusterSettings>("cluster", branch =>
        {
            branch.SetDescription("A sharded index on an Orleans cluster of silos (scripts/cluster.sh start): load codes into it, search it, show its shards.");
            branch.AddCommand<ClusterLoadCommand>("load")
                .WithDescription("Create (or open) a sharded index on the cluster and add every live code of a store or raw code file, then flush.")
                .WithExample("cluster", "load", "--gateway", "127.0.0.1:30000", "--index", "db", "--store", "db.hstore", "--shards", "6");
            branch.AddCommand<ClusterSearchCommand>("search")
                .WithDescription("Search a sharded index with query codes: top-k or within a radius, exact (the answers one node gives), as TSV.")
                .WithExample("cluster", "search", "--gateway", "127.0.0.1:30000", "--index", "db", "--queries", "q.codes", "-k", "10");
            branch.AddCommand<ClusterStatusCommand>("status")
                .WithDescription("List the shards of a sharded index: codes, flushed codes, silo.")
                .WithExample("cluster", "status", "--gateway", "127.0.0.1:30000", "--index", "db");
        });
}

internal class ClusterSettings : CommonSettings
{
    [CommandOption("-g|--gateway <ENDPOINTS>")]
    [Description("Gateway endpoints of the cluster, ip:port, comma-separated (scripts/cluster.sh: 127.0.0.1:30000).")]
    [DefaultValue("127.0.0.1:30000")]
    public string Gateway { get; init; } = "127.0.0.1:30000";

    [CommandOption("--cluster-id <ID>")]
    [Description("The cluster id the silos were started with.")]
    [DefaultValue(ShardClusterClient.DefaultClusterId)]
    public string ClusterId { get; init; } = ShardClusterClient.DefaultClusterId;

    [CommandOption("--index <NAME>")]
    [Description("(required) The sharded index's name (letters, digits, '.', '_', '-').")]
    public string Index { get; init; } = "";

    [CommandOption("--timeout <SECONDS>")]
    [Description("How long the connection and each shard may take to answer.")]
    [DefaultValue(30)]
    public int TimeoutSeconds { get; init; } = 30;

    public override Spectre.Console.ValidationResult Validate()
    {
        if (string.IsNullOrEmpty(Index)) return Spectre.Console.ValidationResult.Error("--index is required.");
        if (TimeoutSeconds < 1) return Spectre.Console.ValidationResult.Error($"--timeout must be at least 1 second, not {TimeoutSeconds}.");
        return Spectre.Console.ValidationResult.Success();
    }

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public ShardedIndexOptions Options => new() { ShardTimeout = Timeout };
}

internal sealed class ClusterLoadSettings : ClusterSettings
{
    [CommandOption("-s|--store <PATH>")]
    [Description("(required) The codes to load: a store file (.hstore), or a raw code file (.codes, with --bits).")]
    public string Store { get; init; } = "";

    [CommandOption("-b|--bits <BITS>")]
    [Description("Code length of raw .codes files (a store file knows its own).")]
    public int? Bits { get; init; }

    [CommandOption("--packing <PACKING>")]
    [Description("Layout of raw .codes files: words or bytes.")]
    [DefaultValue(RawCodePacking.Words)]
    public RawCodePacking Packing { get; init; }

    [CommandOption("--shards <N>")]
    [Description("Number of shards when the index is created (fixed for its life; a few per silo).")]
    [DefaultValue(6)]
    public int Shards { get; init; } = 6;

    public override Spectre.Console.ValidationResult Validate()
    {
        if (string.IsNullOrEmpty(Store)) return Spectre.Console.ValidationResult.Error("--store is required.");
        if (Shards < 1) return Spectre.Console.ValidationResult.Error($"--shards must be at least 1, not {Shards}.");
        return base.Validate();
    }
}

/// <summary><c>hamming cluster load</c>: every live code of a store into a sharded index, in chunks, then one flush.</summary>
internal sealed class ClusterLoadCommand(CliConsole console) : AsyncCommand<ClusterLoadSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClusterLoadSettings settings, CancellationToken cancellationToken)
    {
        (CodeStore opened, _) = await StoreFiles.OpenAsync(console, settings.Store, settings.Bits, settings.Packing, cancellationToken);
        using CodeStore store = opened;
        await using ShardClusterClient connection = await ClusterConnection.ConnectAsync(settings.Gateway, settings.ClusterId, settings.Timeout, cancellationToken);
        var start = Stopwatch.StartNew();
        ShardedCodeIndex index = await ShardedCodeIndex.CreateAsync(connection.Client, settings.Index, store.Bits, settings.Shards, settings.Options,
            cancellationToken: cancellationToken);
        long loaded = await index.AddStoreAsync(store, cancellationToken: cancellationToken);
        ShardStatus[] shards = await index.FlushAsync(cancellationToken);
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"loaded {loaded} codes into index '{index.Name}' ({index.Bits} bits, {index.ShardCount} shards, {shards.Sum(s => s.LiveCount)} live codes, flushed) in {start.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }
}

internal sealed class ClusterSearchSettings : ClusterSettings
{
    [CommandOption("-q|--queries <PATH>")]
    [Description("(required) Query codes: a raw code file (.codes) of the index's code length.")]
    public string Queries { get; init; } = "";

    [CommandOption("--packing <PACKING>")]
    [Description("Layout of the query file: words or bytes.")]
    [DefaultValue(RawCodePacking.Words)]
    public RawCodePacking Packing { get; init; }

    [CommandOption("-k|--top-k <K>")]
    [Description("Number of nearest neighbours per query (ignored with --radius).")]
    [DefaultValue(10)]
    public int K { get; init; } = 10;

    [CommandOption("-r|--radius <R>")]
    [Description("Return every code within this Hamming distance instead of the k nearest.")]
    public int? Radius { get; init; }

    [CommandOption("--batch")]
    [Description("Send all queries as one batch (one message per shard); the time column is then the batch's time per query.")]
    public bool Batch { get; init; }

    public override Spectre.Console.ValidationResult Validate()
    {
        if (string.IsNullOrEmpty(Queries)) return Spectre.Console.ValidationResult.Error("--queries is required.");
        if (K <= 0) return Spectre.Console.ValidationResult.Error($"--top-k must be at least 1, not {K}.");
        if (Radius < 0) return Spectre.Console.ValidationResult.Error($"--radius must be 0 or more, not {Radius}.");
        return base.Validate();
    }
}

/// <summary><c>hamming cluster search</c>: one TSV line per result (query, query_id, rank, id, distance, path, candidates, microseconds).</summary>
internal sealed class ClusterSearchCommand(CliConsole console) : AsyncCommand<ClusterSearchSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClusterSearchSettings settings, CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.Queries)) throw new CliException($"{settings.Queries}: no such file.");
        await using ShardClusterClient connection = await ClusterConnection.ConnectAsync(settings.Gateway, settings.ClusterId, settings.Timeout, cancellationToken);
        ShardedCodeIndex index = await ShardedCodeIndex.OpenAsync(connection.Client, settings.Index, settings.Options, cancellationToken);
        if (settings.Radius > index.Bits) throw new CliException($"--radius {settings.Radius} is more than the code length {index.Bits}.");
        LoadedCodes loaded = await CodeSource.ReadAllAsync(settings.Queries, CodeFiles.HasRawCodeHeader(settings.Queries) ? null : index.Bits, settings.Packing, cancellationToken);
        if (loaded.Bits != index.Bits)
            throw new CliException($"{settings.Queries} holds {loaded.Bits}-bit codes, but the index '{settings.Index}' holds {index.Bits}-bit codes.");
        (ulong[] queries, long[] queryIds) = (loaded.Codes, loaded.Ids);
        int words = index.Layout.WordsPerCode;

        var answers = new SearchResult[queryIds.Length];
        var micros = new double[queryIds.Length];
        if (settings.Batch)
        {
            long start = Stopwatch.GetTimestamp();
            answers = settings.Radius is int rb
                ? await index.WithinRadiusBatchAsync(queries, rb, cancellationToken)
                : await index.TopKBatchAsync(queries, settings.K, cancellationToken);
            Array.Fill(micros, queryIds.Length == 0 ? 0 : Stopwatch.GetElapsedTime(start).TotalMicroseconds / queryIds.Length);
        }
        else
        {
            for (int q = 0; q < queryIds.Length; q++)
            {
                ReadOnlyMemory<ulong> query = queries.AsMemory(q * words, words);
                long start = Stopwatch.GetTimestamp();
                answers[q] = settings.Radius is int r
                    ? await index.WithinRadiusAsync(query, r, cancellationToken)
                    : await index.TopKAsync(query, settings.K, cancellationToken);
                micros[q] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        }

        TextWriter output = console.Out;
        output.WriteLine("query\tquery_id\trank\tid\tdistance\tpath\tcandidates\tmicroseconds");
        for (int q = 0; q < answers.Length; q++)
        {
            string tail = string.Create(CultureInfo.InvariantCulture, $"{answers[q].Path}\t{answers[q].CandidatesVerified}\t{micros[q]:F1}");
            Neighbor[] neighbors = answers[q].Neighbors;
            if (neighbors.Length == 0) output.WriteLine($"{q}\t{queryIds[q]}\t0\t\t\t{tail}");
            for (int i = 0; i < neighbors.Length; i++)
                output.WriteLine($"{q}\t{queryIds[q]}\t{i + 1}\t{neighbors[i].Id}\t{neighbors[i].Distance}\t{tail}");
        }
        await output.FlushAsync(cancellationToken);
        return 0;
    }
}

/// <summary><c>hamming cluster status</c>: one TSV line per shard.</summary>
internal sealed class ClusterStatusCommand(CliConsole console) : AsyncCommand<ClusterSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ClusterSettings settings, CancellationToken cancellationToken)
    {
        await using ShardClusterClient connection = await ClusterConnection.ConnectAsync(settings.Gateway, settings.ClusterId, settings.Timeout, cancellationToken);
        ShardedCodeIndex index = await ShardedCodeIndex.OpenAsync(connection.Client, settings.Index, settings.Options, cancellationToken);
        console.Out.WriteLine("shard\tbits\tcodes\tlive\tflushed\tindexed\treopened_from_disk\tsilo");
        foreach (ShardStatus s in await index.StatusAsync(cancellationToken))
            console.Out.WriteLine($"{s.Shard}\t{s.Spec.Bits}\t{s.Count}\t{s.LiveCount}\t{s.FlushedCount}\t{s.IndexedCount}\t{s.ReopenedFromDisk}\t{s.Silo}");
        return 0;
    }
}
