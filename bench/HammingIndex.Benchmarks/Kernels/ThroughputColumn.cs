using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace HammingIndex.Benchmarks.Kernels;

/// <summary>
/// Codes/s or GB/s of one benchmark invocation, from its fastest iteration (Min: the machine is
/// shared, so the mean mostly measures other people's load) and the size of the code set it scans
/// (parameters <c>Bits</c> and <c>Set</c>; a case without <c>Bits</c> counts bytes only).
/// </summary>
public sealed class ThroughputColumn(bool bytes) : IColumn
{
    /// <summary>Codes per second (billions).</summary>
    public static readonly IColumn CodesPerSecond = new ThroughputColumn(false);

    /// <summary>Gigabytes per second read from the code set.</summary>
    public static readonly IColumn GigabytesPerSecond = new ThroughputColumn(true);

    /// <inheritdoc />
    public string Id => bytes ? "GBps" : "GCodesps";

    /// <inheritdoc />
    public string ColumnName => bytes ? "GB/s" : "Gcodes/s";

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => bytes ? 1 : 0;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => bytes ? "Code bytes scanned per second / 1e9, from Min" : "Codes scanned per second / 1e9, from Min";

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? minNs = summary[benchmarkCase]?.ResultStatistics?.Min;
        if (minNs is not > 0 || benchmarkCase.Parameters["Set"] is not CodeSet set) return "-";
        double amount = bytes ? CodeSets.Bytes(set)
            : benchmarkCase.Parameters["Bits"] is int bits ? CodeSets.Count(set, bits) : double.NaN;
        return double.IsNaN(amount) ? "-" : (amount / minNs.Value).ToString("F2"); // per ns = 1e9 per s
    }

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
