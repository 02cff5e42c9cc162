using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace HammingIndex.Orleans.Hosting;

/// <summary>
/// A connected Orleans client of a cluster of shard silos started with localhost clustering
/// (hamming-silo, scripts/cluster.sh), through a static list of gateways. Dispose to disconnect.
/// </summary>
public sealed class ShardClusterClient : IAsyncDisposable
{
    /// <summary>The service id every hamming-silo runs under.</summary>
    public const string ServiceId = "hamming";

    /// <summary>The cluster id hamming-silo uses unless told otherwise.</summary>
    public const string DefaultClusterId = "hamming";

    private readonly IHost _host;

    private ShardClusterClient(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>The Orleans client (pass it to <see cref="Client.ShardedCodeIndex"/>).</summary>
    public IClusterClient Client { get; }

    /// <summary>Connects through <paramref name="gateways"/> to the cluster <paramref name="clusterId"/>.</summary>
    /// <exception cref="ArgumentException">No gateway is given.</exception>
    /// <exception cref="TimeoutException">No gateway answered within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<ShardClusterClient> ConnectAsync(IReadOnlyList<IPEndPoint> gateways, string clusterId, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        if (gateways is null || gateways.Count == 0) throw new ArgumentException("Give at least one gateway endpoint.", nameof(gateways));
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client
            .UseStaticClustering([.. gateways])
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = ServiceId;
            }));
        IHost host = builder.Build();
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connect.CancelAfter(timeout);
        try
        {
            await host.StartAsync(connect.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new TimeoutException(
                $"No gateway of cluster '{clusterId}' at {string.Join(", ", gateways)} answered within {timeout.TotalSeconds:0.#} s ({e.GetType().Name}: {e.Message}).", e);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new ShardClusterClient(host);
    }

    /// <summary>Disconnects (waits at most 10 s).</summary>
    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _host.StopAsync(stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
