using System.Numerics;
using System.Runtime.CompilerServices;
using HammingIndex.Codes;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>What <see cref="CodeGenerator"/> draws: uniform codes, or codes around random centres.</summary>
internal enum GeneratedKind
{
    /// <summary>Every bit independent and fair.</summary>
    Uniform,

    /// <summary>A centre drawn uniformly from a fixed set of random centres, each bit flipped with a fixed probability.</summary>
    Clustered,
}

/// <summary>
/// Seeded, reproducible synthetic codes of any count, drawn in fixed chunks of
/// <see cref="ChunkCodes"/> codes: chunk c of stream s depends only on (seed, s, c), so any number of
/// threads, filling chunks in any order, writes the same bytes. Stream 0 is the database, stream 1 the
/// queries (drawn the same way, from the same centres). Centre i is a hash of (seed, i), computed where
/// it is needed, so memory does not grow with the number of centres.
/// </summary>
/// <remarks>
/// A clustered code flips each bit of its centre with probability <see cref="EffectiveFlip"/>: the
/// requested probability rounded to a multiple of 2^-24 (a flip mask is built from 24 random words by
/// and/or, one per binary digit of the probability). The bytes for a given seed and chunk size are part
/// of the contract: changing the draw changes every generated file.
/// </remarks>
internal sealed class CodeGenerator
{
    /// <summary>Codes per chunk: the unit of seeding and of parallel work.</summary>
    public const int ChunkCodes = 1 << 16;

    /// <summary>Binary digits of the flip probability.</summary>
    public const int FlipDigits = 24;

    private readonly ulong _seed;
    private readonly uint _flipFraction; // EffectiveFlip * 2^24
    private readonly bool _flipAll;

    public CodeGenerator(CodeLayout layout, GeneratedKind kind, ulong seed, long centres = 1, double flip = 0)
    {
        if (centres < 1) throw new ArgumentOutOfRangeException(nameof(centres), centres, "At least one centre is needed.");
        if (!(flip >= 0 && flip <= 1)) throw new ArgumentOutOfRangeException(nameof(flip), flip, "The flip probability must be in 0..1.");
        Layout = layout;
        Kind = kind;
        Centres = centres;
        _seed = seed;
        double scaled = Math.Round(flip * (1 << FlipDigits));
        _flipAll = scaled >= 1 << FlipDigits;
        _flipFraction = _flipAll ? 0 : (uint)scaled;
        EffectiveFlip = _flipAll ? 1 : _flipFraction / (double)(1 << FlipDigits);
    }

    public CodeLayout Layout { get; }

    public GeneratedKind Kind { get; }

    public long Centres { get; }

    /// <summary>The flip probability actually drawn (the requested one to within 2^-25).</summary>
    public double EffectiveFlip { get; }

    /// <summary>
    /// Fills <paramref name="codes"/> (a whole number of codes, at most <see cref="ChunkCodes"/>) with the
    /// first codes of chunk <paramref name="chunk"/> of stream <paramref name="stream"/>.
    /// </summary>
    public void FillChunk(int stream, long chunk, Span<ulong> codes)
    {
        int words = Layout.WordsPerCode;
        if (codes.Length % words != 0 || codes.Length / words > ChunkCodes)
            throw new ArgumentException($"{codes.Length} words are not a whole number of codes of {words} words, up to {ChunkCodes} codes.", nameof(codes));
        var rng = new Xoshiro256(Mix(_seed ^ Mix((ulong)stream + 0x51ED27A5u) ^ Mix((ulong)chunk + 0xC0DEC0DEu)));
        ulong last = Layout.LastWordMask;
        int count = codes.Length / words;
        for (int i = 0; i < count; i++)
        {
            Span<ulong> code = codes.Slice(i * words, words);
            if (Kind == GeneratedKind.Uniform)
            {
                for (int w = 0; w < words; w++) code[w] = rng.Next();
            }
            else
            {
                ulong centre = (ulong)rng.NextBelow((ulong)Centres);
                for (int w = 0; w < words; w++) code[w] = CentreWord(centre, w) ^ FlipMask(ref rng);
            }
            code[words - 1] &= last;
        }
    }

    /// <summary>
    /// Fills <paramref name="codes"/> with codes <paramref name="first"/>.. of stream <paramref name="stream"/>
    /// (<paramref name="first"/> a multiple of <see cref="ChunkCodes"/>), chunks in parallel on up to
    /// <paramref name="threads"/> threads; the bytes do not depend on <paramref name="threads"/>.
    /// </summary>
    public void Fill(int stream, long first, Memory<ulong> codes, int threads)
    {
        if (first % ChunkCodes != 0) throw new ArgumentException($"The first code {first} is not a multiple of {ChunkCodes}.", nameof(first));
        int words = Layout.WordsPerCode;
        int count = codes.Length / words;
        int chunks = (count + ChunkCodes - 1) / ChunkCodes;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, c =>
        {
            int n = Math.Min(ChunkCodes, count - c * ChunkCodes);
            FillChunk(stream, first / ChunkCodes + c, codes.Span.Slice(c * ChunkCodes * words, n * words));
        });
    }

    /// <summary>Word <paramref name="word"/> of centre <paramref name="centre"/> (padding not yet masked).</summary>
    public ulong CentreWord(ulong centre, int word) =>
        Mix(_seed ^ 0x9E3779B97F4A7C15UL ^ Mix(centre * (ulong)Layout.WordsPerCode + (ulong)word + 1));

    /// <summary>64 bits, each set with probability <see cref="EffectiveFlip"/>, independently.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong FlipMask(ref Xoshiro256 rng)
    {
        if (_flipAll) return ulong.MaxValue;
        uint q = _flipFraction;
        if (q == 0) return 0;
        // Digit j of q (weight 2^-(24-j)), from the lowest set one up: m = digit ? m | r : m & r.
        ulong m = 0;
        for (int j = BitOperations.TrailingZeroCount(q); j < FlipDigits; j++)
        {
            ulong r = rng.Next();
            m = ((q >> j) & 1) != 0 ? m | r : m & r;
        }
        return m;
    }

    /// <summary>SplitMix64's finaliser: a bijective mix of 64 bits.</summary>
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>xoshiro256** (Blackman and Vigna), seeded from one word by SplitMix64.</summary>
    private struct Xoshiro256
    {
        private ulong _s0, _s1, _s2, _s3;

        public Xoshiro256(ulong seed)
        {
            _s0 = Mix(seed);
            _s1 = Mix(_s0);
            _s2 = Mix(_s1);
            _s3 = Mix(_s2);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public ulong Next()
        {
            ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
            ulong t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = BitOperations.RotateLeft(_s3, 45);
            return result;
        }

        /// <summary>Uniform in 0..bound-1 (Lemire's multiply-shift with rejection).</summary>
        public ulong NextBelow(ulong bound)
        {
            while (true)
            {
                ulong high = Math.BigMul(Next(), bound, out ulong low);
                if (low >= bound || low >= (0 - bound) % bound) return high;
            }
        }
    }
}
