namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// The interleaved rounds both multi-index runners use: path 0 (scan), 1 (MIH) and 2 (front door)
/// once per round, the rounds cycling through every order (each path after each other equally often), each after an untimed scan pass.
/// </summary>
internal static class MultiIndexRounds
{
    /// <summary>
    /// Warms every path up, calls <paramref name="afterWarmUp"/> (to reset counters), then times
    /// <paramref name="rounds"/> rounds with <paramref name="time"/> (path -> ms per query).
    /// </summary>
    public static (double[] Scan, double[] Mih, double[] Door) Run(int rounds, Func<int, double> time, Action afterWarmUp)
    {
        for (int path = 0; path < 3; path++) time(path); // JIT, pools
        afterWarmUp();
        var scan = new double[rounds];
        var mih = new double[rounds];
        var door = new double[rounds];
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < 3; i++)
            {
                int path = PairedStats.Order(3, round)[i];
                // An untimed scan pass first, so every path starts from the same cache state: the
                // unlimited MIH case evicts the codes, and the rotation put the door right after
                // it in two rounds of three (that alone made the door look 5-15% slower at 1M).
                // It leaves MIH's own tables colder: conservative for MIH.
                time(0);
                (path == 0 ? scan : path == 1 ? mih : door)[round] = time(path);
            }
        }
        return (scan, mih, door);
    }
}
