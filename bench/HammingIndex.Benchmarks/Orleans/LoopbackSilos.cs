using System.Diagnostics;

namespace HammingIndex.Benchmarks.Orleans;

/// <summary>
/// Silo processes on 127.0.0.1 started and stopped through scripts/cluster.sh (run from the repository
/// root), over one shard root, so every silo count serves the same shard files.
/// </summary>
internal sealed class LoopbackSilos(string clusterDirectory, string shardRoot, int siloPort, int gatewayPort)
{
    /// <summary>The silo host the script runs (built beforehand, so no build competes with a measurement).</summary>
    public static readonly string SiloDll = Path.Combine("src", "HammingIndex.Orleans.Silo", "bin", "Release", "net10.0", "hamming-silo.dll");

    public int GatewayPort => gatewayPort;

    public void Start(int silos) => Script("start", silos.ToString());

    public void Stop() => Script("stop");

    private void Script(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine("scripts", "cluster.sh"));
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["HAMMING_CLUSTER_DIR"] = clusterDirectory;
        start.Environment["HAMMING_SHARD_ROOT"] = shardRoot;
        start.Environment["SILO_PORT"] = siloPort.ToString();
        start.Environment["GATEWAY_PORT"] = gatewayPort.ToString();
        start.Environment["LIFETIME_MINUTES"] = "90"; // a bench that dies leaves no silo running for long
        start.Environment["HAMMING_SILO_DLL"] = SiloDll;
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scripts/cluster.sh {string.Join(' ', args)} did not finish within 5 minutes.");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"scripts/cluster.sh {string.Join(' ', args)} failed (exit {process.ExitCode}); see {clusterDirectory}.");
    }
}
