using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace HammingIndex.Benchmarks.Scan;

/// <summary>
/// Derived throughput of a <see cref="ScanBenchmarks"/> case: code comparisons per second, code bytes
/// compared per second (N * 8 bytes per query; the baseline reads them once), and that byte rate as a
/// percentage of the read-bandwidth baseline measured
/// with the same parameters in the same run. Computed from the median (the machine is shared: the median
/// resists other processes' bursts better than the mean).
/// </summary>
public sealed class ScanThroughputColumn(ScanThroughputColumn.Kind kind) : IColumn
{
    /// <summary>Which figure the column shows.</summary>
    public enum Kind
    {
        /// <summary>Query-code comparisons per second (billions).</summary>
        CodesPerSecond,

        /// <summary>Code bytes compared per second (GB = 1e9 bytes).</summary>
        GigabytesPerSecond,

        /// <summary>The byte rate as a percentage of the baseline's.</summary>
        PercentOfBaseline,
    }

    public string Id => $"{nameof(ScanThroughputColumn)}.{kind}";

    public string ColumnName => kind switch
    {
        Kind.CodesPerSecond => "Gcodes/s",
        Kind.GigabytesPerSecond => "GB/s",
        _ => "% of baseline",
    };

    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => (int)kind;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => kind switch
    {
        Kind.CodesPerSecond => "Billions of query-code comparisons per second (queries * N / median time)",
        Kind.GigabytesPerSecond => "Code bytes compared per second, 1e9 B/s (queries * N * 8 / median time)",
        _ => "GB/s as a percentage of ReadBandwidthBaseline's GB/s with the same parameters",
    };

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? rate = BytesPerNanosecond(summary, benchmarkCase); // = GB/s
        if (rate is null) return "?";
        if (kind == Kind.GigabytesPerSecond) return rate.Value.ToString("F2");
        if (kind == Kind.CodesPerSecond) return (rate.Value / 8).ToString("F2");
        BenchmarkCase? baseline = summary.BenchmarksCases.FirstOrDefault(b =>
            b.Descriptor.WorkloadMethod.Name == nameof(ScanBenchmarks.ReadBandwidthBaseline) &&
            b.Parameters.DisplayInfo == benchmarkCase.Parameters.DisplayInfo);
        double? baseRate = baseline is null ? null : BytesPerNanosecond(summary, baseline);
        return baseRate is null ? "?" : (100 * rate.Value / baseRate.Value).ToString("F0") + "%";
    }

    private static double? BytesPerNanosecond(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? median = summary[benchmarkCase]?.ResultStatistics?.Median;
        if (median is null or <= 0) return null;
        long n = Convert.ToInt64(benchmarkCase.Parameters["N"]);
        string method = benchmarkCase.Descriptor.WorkloadMethod.Name;
        int queries = method.Contains("100") ? ScanBenchmarks.BatchSize : 1;
        return queries * n * 8.0 / median.Value;
    }

    public override string ToString() => ColumnName;
}
