using BenchmarkDotNet.Running;

namespace HammingIndex.Benchmarks;

/// <summary>Runs the benchmarks named on the command line (BenchmarkDotNet switcher).</summary>
public static class Program
{
    /// <summary>Entry point: <c>dotnet run -c Release --project bench/HammingIndex.Benchmarks -- --filter '*'</c>.</summary>
    public static void Main(string[] args)
    {
        if (args is ["scan-paired", ..]) { Scan.ScanPairedRun.Run(args[1..]); return; } // interleaved rounds, see ScanPairedRun
        if (args is ["mih-paired", ..]) { MultiIndex.MultiIndexPairedRun.Run(args[1..]); return; } // interleaved rounds, see MultiIndexPairedRun
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
