using System.Runtime.InteropServices;

namespace HammingIndex.Benchmarks.Kernels;

/// <summary>
/// What a kernel benchmark runs on: a random code set of the given size and length (aligned native
/// memory), one random query, and result buffers for every code. Dispose frees the codes.
/// </summary>
public sealed unsafe class KernelWorkload : IDisposable
{
    private KernelWorkload(int bits, CodeSet set)
    {
        int words = bits / 64;
        Count = CodeSets.Count(set, bits);
        Pointer = CodeSets.AllocateRandom((long)Count * words, 1);
        Query = new ulong[words];
        new Random(2).NextBytes(MemoryMarshal.AsBytes(Query.AsSpan()));
        Indices = new int[Count];
        Distances = new int[Count];
    }

    /// <summary>Random <paramref name="bits"/>-bit codes sized for <paramref name="set"/>.</summary>
    public static KernelWorkload Create(int bits, CodeSet set) => new(bits, set);

    /// <summary>Start of the codes (64-byte aligned).</summary>
    public ulong* Pointer { get; private set; }

    /// <summary>Number of codes.</summary>
    public int Count { get; }

    /// <summary>The query code.</summary>
    public ulong[] Query { get; }

    /// <summary>Room for one index per code.</summary>
    public int[] Indices { get; }

    /// <summary>Room for one distance per code.</summary>
    public int[] Distances { get; }

    /// <summary>The codes as a span.</summary>
    public ReadOnlySpan<ulong> Codes => new(Pointer, Count * Query.Length);

    /// <summary>Frees the codes.</summary>
    public void Dispose()
    {
        NativeMemory.AlignedFree(Pointer);
        Pointer = null;
    }
}
