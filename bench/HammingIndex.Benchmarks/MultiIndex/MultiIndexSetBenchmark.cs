using BenchmarkDotNet.Attributes;

namespace HammingIndex.Benchmarks.MultiIndex;

/// <summary>
/// The parameters every multi-index benchmark class runs over (N, code length, data kind) and the
/// shared data set they select (<see cref="MultiIndexData.Get"/>).
/// </summary>
public abstract class MultiIndexSetBenchmark
{
    [ParamsSource(typeof(MultiIndexData), nameof(MultiIndexData.Sizes))]
    public int N { get; set; }

    [ParamsSource(typeof(MultiIndexData), nameof(MultiIndexData.CodeLengths))]
    public int Bits { get; set; }

    [ParamsSource(typeof(MultiIndexData), nameof(MultiIndexData.Kinds))]
    public CodeData Data { get; set; }

    /// <summary>The data set of this case (after <see cref="LoadSet"/>).</summary>
    protected MultiIndexData Set { get; private set; } = null!;

    /// <summary>Selects the data set and returns the case's key for <see cref="MultiIndexStatsColumn"/> (with <paramref name="more"/> parameters).</summary>
    protected string LoadSet(params (string Name, object? Value)[] more)
    {
        Set = MultiIndexData.Get(N, Bits, Data);
        return MultiIndexStatsColumn.Key([("N", N), ("Bits", Bits), ("Data", Data), .. more]);
    }
}
