using System.Net;
using HammingIndex.Orleans.Hosting;
using HammingIndex.Orleans.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

// One silo of a loopback cluster (scripts/cluster.sh starts several): localhost clustering with the
// primary silo's endpoint, listening on 127.0.0.1 only, stopping by itself after its lifetime.
SiloSettings settings;
try
{
    settings = SiloSettings.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"hamming-silo: {e.Message}\n{SiloSettings.Usage}");
    return 2;
}

HostApplicationBuilder builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.UseOrleans(silo =>
{
    silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, new IPEndPoint(IPAddress.Loopback, settings.PrimaryPort),
        serviceId: ShardClusterClient.ServiceId, clusterId: settings.ClusterId);
    silo.Configure<EndpointOptions>(o =>
    {
        o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Loopback, settings.SiloPort);
        o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Loopback, settings.GatewayPort);
    });
    silo.Configure<SiloOptions>(o => o.SiloName = settings.Name);
    silo.AddHammingShards(settings.Root);
});
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

using IHost host = builder.Build();
await host.StartAsync();
Console.WriteLine($"hamming-silo {settings.Name}: ready (silo 127.0.0.1:{settings.SiloPort}, gateway 127.0.0.1:{settings.GatewayPort}, shards under {Path.GetFullPath(settings.Root)}, stops after {settings.Lifetime.TotalMinutes:0.#} min)");
if (settings.ReadyFile is not null) File.WriteAllText(settings.ReadyFile, $"{Environment.ProcessId}\n");

IHostApplicationLifetime lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
try
{
    await Task.Delay(settings.Lifetime, lifetime.ApplicationStopping);
    Console.WriteLine($"hamming-silo {settings.Name}: lifetime over, stopping");
}
catch (OperationCanceledException)
{
    Console.WriteLine($"hamming-silo {settings.Name}: stopping");
}
await host.StopAsync();
return 0;
