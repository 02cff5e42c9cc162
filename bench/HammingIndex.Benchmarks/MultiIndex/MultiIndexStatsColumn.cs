using System.Collections.Concurrent;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// Per-case figures gathered while the benchmarks set up (in process): candidates verified per query
/// on each path, the share of queries the front door sent through the multi-index, and for builds the
/// table bytes per code. Keyed by the case's parameter display text.
/// </summary>
public sealed class MultiIndexStatsColumn(string name, string legend) : IColumn
{
    private static readonly ConcurrentDictionary<(string Column, string Case), string> s_values = new();

    public static void Record(string column, string caseKey, string value) => s_values[(column, caseKey)] = value;

    /// <summary>
    /// Runs every query of <paramref name="set"/> once through the multi-index (<paramref name="mih"/>:
    /// query -> candidates verified) and the front door, and records the per-query candidate counts
    /// of both and the door's MIH share.
    /// </summary>
    public static void RecordQueryStats(string caseKey, MultiIndexData set, Func<ulong[], long> mih, Func<ulong[], HammingIndex.MultiIndex.SearchResult> door)
    {
        long mihCandidates = 0, doorCandidates = 0;
        int viaIndex = 0;
        for (int q = 0; q < set.QueryCount; q++)
        {
            ulong[] query = set.Query(q).ToArray();
            mihCandidates += mih(query);
            var result = door(query);
            doorCandidates += result.CandidatesVerified;
            if (result.Path == HammingIndex.MultiIndex.SearchPath.MultiIndex) viaIndex++;
        }
        Record("MIH cand/q", caseKey, (mihCandidates / (double)set.QueryCount).ToString("F0"));
        Record("Door cand/q", caseKey, (doorCandidates / (double)set.QueryCount).ToString("F0"));
        Record("Door MIH %", caseKey, (100.0 * viaIndex / set.QueryCount).ToString("F0"));
    }

    public string Id => $"{nameof(MultiIndexStatsColumn)}.{name}";
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        s_values.TryGetValue((name, Key(benchmarkCase)), out string? value) ? value : "-";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <summary>The parameter values sorted by name, e.g. "Bits=64 Data=Uniform N=1000000 R=2" (same for every method of a case).</summary>
    public static string Key(BenchmarkCase benchmarkCase) =>
        Key(benchmarkCase.Parameters.Items.Select(p => (p.Name, (object?)p.Value)).ToArray());

    public static string Key(params (string Name, object? Value)[] parameters) =>
        string.Join(" ", parameters.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}={p.Value}"));
}
