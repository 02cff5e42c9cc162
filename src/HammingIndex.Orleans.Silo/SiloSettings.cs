using System.Globalization;

namespace HammingIndex.Orleans.Silo;

/// <summary>The silo's command line: <c>--root DIR --silo-port P --gateway-port G --primary-port PP [--name N] [--cluster ID] [--lifetime-minutes M] [--ready-file F]</c>.</summary>
internal sealed record SiloSettings(string Root, int SiloPort, int GatewayPort, int PrimaryPort, string Name, string ClusterId, TimeSpan Lifetime, string? ReadyFile)
{
    public const string Usage =
        "usage: hamming-silo --root DIR --silo-port P --gateway-port G --primary-port PP [--name NAME] [--cluster ID] [--lifetime-minutes M] [--ready-file PATH]\n" +
        "  Runs one Orleans silo on 127.0.0.1 holding HammingIndex shards under DIR (the same DIR for every silo of the cluster).\n" +
        "  PP is the silo port of the primary silo (the one whose --silo-port equals it); the silo stops by itself after M minutes (default 120).";

    public static SiloSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"Argument {i + 1} ('{args[i]}') is not an option followed by its value.");
            values[args[i][2..]] = args[++i];
        }
        string Required(string key) => values.Remove(key, out string? v) ? v : throw new ArgumentException($"--{key} is required.");
        int Port(string key)
        {
            string text = Required(key);
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
                throw new ArgumentException($"--{key} must be a port number 1..65535, not '{text}'.");
            return port;
        }
        string root = Required("root");
        int siloPort = Port("silo-port"), gatewayPort = Port("gateway-port"), primaryPort = Port("primary-port");
        string name = values.Remove("name", out string? n) ? n : $"silo-{siloPort}";
        string cluster = values.Remove("cluster", out string? c) ? c : HammingIndex.Orleans.Hosting.ShardClusterClient.DefaultClusterId;
        double minutes = 120;
        if (values.Remove("lifetime-minutes", out string? m)
            && (!double.TryParse(m, NumberStyles.Float, CultureInfo.InvariantCulture, out minutes) || minutes <= 0 || minutes > 24 * 60))
            throw new ArgumentException($"--lifetime-minutes must be a number of minutes in (0, 1440], not '{m}'.");
        string? ready = values.Remove("ready-file", out string? r) ? r : null;
        if (values.Count > 0) throw new ArgumentException($"Unknown option --{values.Keys.First()}.");
        return new SiloSettings(root, siloPort, gatewayPort, primaryPort, name, cluster, TimeSpan.FromMinutes(minutes), ready);
    }
}
