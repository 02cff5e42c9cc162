using System.Net;
using HammingIndex.Orleans.Hosting;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>Connects the CLI to a cluster of shard silos (scripts/cluster.sh), turning failures into one-line errors.</summary>
internal static class ClusterConnection
{
    /// <summary>Connects through the gateways (ip:port, comma-separated) of the cluster <paramref name="clusterId"/>.</summary>
    /// <exception cref="CliException">A gateway does not parse, or none answered within <paramref name="timeout"/>.</exception>
    public static async Task<ShardClusterClient> ConnectAsync(string gateways, string clusterId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        IPEndPoint[] endpoints = ParseGateways(gateways);
        try
        {
            return await ShardClusterClient.ConnectAsync(endpoints, clusterId, timeout, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new CliException($"{e.Message} Is the cluster running (scripts/cluster.sh status)?");
        }
    }

    /// <summary>Parses "ip:port[,ip:port...]".</summary>
    /// <exception cref="CliException">An entry is not an IP address and port.</exception>
    public static IPEndPoint[] ParseGateways(string gateways)
    {
        string[] parts = gateways.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new CliException("--gateway must name at least one gateway, e.g. 127.0.0.1:30000.");
        return parts.Select(p => IPEndPoint.TryParse(p, out IPEndPoint? ep) && ep.Port != 0
            ? ep
            : throw new CliException($"--gateway '{p}' is not an IP address and port, e.g. 127.0.0.1:30000.")).ToArray();
    }
}
