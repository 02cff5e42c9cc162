using System.Runtime.CompilerServices;

namespace HammingIndex.Codes;

/// <summary>
/// The shape of a binary code: <see cref="Bits"/> bits packed little-endian into
/// <see cref="WordsPerCode"/> = ceil(bits / 64) ulongs. Bit i of the code is bit (i % 64) of word
/// (i / 64). Padding bits (past <see cref="Bits"/> in the last word) must be zero.
/// </summary>
public readonly struct CodeLayout : IEquatable<CodeLayout>
{
    /// <summary>The shortest supported code, in bits.</summary>
    public const int MinBits = 8;

    /// <summary>The longest supported code, in bits.</summary>
    public const int MaxBits = 4096;

    /// <summary>Creates the layout of <paramref name="bits"/>-bit codes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is outside 8..4096.</exception>
    public CodeLayout(int bits)
    {
        if (bits < MinBits || bits > MaxBits)
            ThrowHelper.ArgumentOutOfRange(nameof(bits), bits, $"Code length must be between {MinBits} and {MaxBits} bits.");
        Bits = bits;
        WordsPerCode = (bits + 63) >> 6;
    }

    /// <summary>Code length in bits.</summary>
    public int Bits { get; }

    /// <summary>Number of 64-bit words one code occupies.</summary>
    public int WordsPerCode { get; }

    /// <summary>Number of bytes one code occupies (8 per word).</summary>
    public int BytesPerCode => WordsPerCode * sizeof(ulong);

    /// <summary>Mask of the bits of the last word that belong to the code (the rest is padding).</summary>
    public ulong LastWordMask => (Bits & 63) == 0 ? ulong.MaxValue : (1UL << (Bits & 63)) - 1;

    /// <summary>
    /// Checks that <paramref name="code"/> is exactly one code of this layout with zero padding.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong length or non-zero padding; names <paramref name="paramName"/>.</exception>
    public void ValidateCode(ReadOnlySpan<ulong> code, [CallerArgumentExpression(nameof(code))] string? paramName = null)
    {
        if (code.Length != WordsPerCode)
            ThrowHelper.Argument(paramName, $"A {Bits}-bit code is {WordsPerCode} ulongs long, but {code.Length} were given.");
        if ((code[^1] & ~LastWordMask) != 0)
            ThrowHelper.Argument(paramName, $"Padding bits past bit {Bits} must be zero, but the last word is 0x{code[^1]:X16}.");
    }

    /// <summary>
    /// Checks that <paramref name="codes"/> is a whole number of codes of this layout, each with
    /// zero padding, and returns how many codes it holds.
    /// </summary>
    /// <exception cref="ArgumentException">Length not a multiple of <see cref="WordsPerCode"/>, or a code with non-zero padding.</exception>
    public int ValidateCodes(ReadOnlySpan<ulong> codes, [CallerArgumentExpression(nameof(codes))] string? paramName = null)
    {
        if (codes.Length % WordsPerCode != 0)
            ThrowHelper.Argument(paramName, $"{codes.Length} ulongs is not a whole number of {Bits}-bit codes ({WordsPerCode} ulongs each).");
        int count = codes.Length / WordsPerCode;
        ulong padding = ~LastWordMask;
        if (padding != 0)
        {
            for (int i = WordsPerCode - 1, c = 0; c < count; i += WordsPerCode, c++)
            {
                if ((codes[i] & padding) != 0)
                    ThrowHelper.Argument(paramName, $"Code {c}: padding bits past bit {Bits} must be zero, but its last word is 0x{codes[i]:X16}.");
            }
        }
        return count;
    }

    /// <inheritdoc />
    public bool Equals(CodeLayout other) => Bits == other.Bits;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CodeLayout other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Bits;

    /// <inheritdoc />
    public override string ToString() => $"{Bits}-bit codes ({WordsPerCode} words)";

    /// <summary>Equality by bit count.</summary>
    public static bool operator ==(CodeLayout left, CodeLayout right) => left.Equals(right);

    /// <summary>Inequality by bit count.</summary>
    public static bool operator !=(CodeLayout left, CodeLayout right) => !left.Equals(right);
}
