using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>A connected Orleans client of a HammingIndex cluster (scripts/cluster.sh); dispose to disconnect.</summary>
internal sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterConnection(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    /// <summary>Connects through the gateways (host:port, comma-separated) of the cluster <paramref name="clusterId"/>.</summary>
    /// <exception cref="CliException">A gateway does not parse, or none answered within <paramref name="timeout"/>.</exception>
    public static async Task<ClusterConnection> ConnectAsync(string gateways, string clusterId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        IPEndPoint[] endpoints = ParseGateways(gateways);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client
            .UseStaticClustering(endpoints)
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = "hamming";
            }));
        IHost host = builder.Build();
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connect.CancelAfter(timeout);
        try
        {
            await host.StartAsync(connect.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new CliException($"No gateway of cluster '{clusterId}' at {gateways} answered within {timeout.TotalSeconds:0} s ({e.GetType().Name}: {e.Message}). Is it running (scripts/cluster.sh status)?");
        }
        return new ClusterConnection(host);
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

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _host.StopAsync(stop.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
