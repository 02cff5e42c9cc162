using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HammingIndex.Kernels;

public static partial class HammingKernels
{
    /// <summary>
    /// The environment variable that forces the default path: <c>scalar</c>, <c>vector128</c>,
    /// <c>avx2</c>, <c>avx512</c> or <c>auto</c> (case-insensitive). Read once, on first use of <see cref="DefaultPath"/>.
    /// </summary>
    public const string PathEnvironmentVariable = "HAMMINGINDEX_KERNEL";

    private static readonly KernelPath[] s_supportedPaths = DetectSupportedPaths();

    /// <summary>The widest path this CPU supports: <see cref="KernelPath.Avx512"/> (needs AVX-512F and
    /// AVX-512BW), else <see cref="KernelPath.Avx2"/>, else <see cref="KernelPath.Vector128"/> (Arm64, or
    /// x86 without AVX2), else <see cref="KernelPath.Scalar"/>.</summary>
    public static KernelPath BestSupportedPath => s_supportedPaths[^1];

    /// <summary>Every concrete path (not <see cref="KernelPath.Auto"/>) this CPU supports, narrowest first.</summary>
    public static IReadOnlyList<KernelPath> SupportedPaths => s_supportedPaths;

    /// <summary>
    /// The path <see cref="KernelPath.Auto"/> stands for: <see cref="BestSupportedPath"/>, unless the
    /// environment variable <see cref="PathEnvironmentVariable"/> names another (read once per process).
    /// </summary>
    /// <exception cref="NotSupportedException">The variable names a path this CPU does not support.</exception>
    /// <exception cref="InvalidOperationException">The variable holds something other than a path name.</exception>
    public static KernelPath DefaultPath
    {
        get
        {
            (KernelPath path, Exception? error) = EnvironmentDefault.Value;
            if (error is not null) throw error switch
            {
                NotSupportedException => new NotSupportedException(error.Message, error),
                _ => new InvalidOperationException(error.Message, error),
            };
            return path;
        }
    }

    /// <summary>Whether this CPU can run <paramref name="path"/> (<see cref="KernelPath.Auto"/> always can).</summary>
    public static bool IsSupported(KernelPath path) => path switch
    {
        KernelPath.Auto or KernelPath.Scalar => true,
        KernelPath.Vector128 => Vector128.IsHardwareAccelerated,
        KernelPath.Avx2 => Avx2.IsSupported,
        KernelPath.Avx512 => Avx512F.IsSupported && Avx512BW.IsSupported,
        _ => false,
    };

    /// <summary>
    /// The concrete path a call with <paramref name="path"/> runs: <see cref="KernelPath.Auto"/> becomes
    /// <see cref="DefaultPath"/>; any other path is returned if this CPU supports it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="path"/> is not a defined <see cref="KernelPath"/>.</exception>
    /// <exception cref="NotSupportedException">This CPU lacks the instructions of <paramref name="path"/>.</exception>
    public static KernelPath Resolve(KernelPath path)
    {
        if (path == KernelPath.Auto) return DefaultPath;
        if (!IsSupported(path))
        {
            if ((uint)path > (uint)KernelPath.Vector128)
                ThrowHelper.ArgumentOutOfRange(nameof(path), path, "Not a kernel path: expected Auto, Scalar, Vector128, Avx2 or Avx512.");
            throw new NotSupportedException($"Kernel path {path} is not supported by this CPU (supported: {string.Join(", ", s_supportedPaths)}).");
        }
        return path;
    }

    /// <summary>Parses a <see cref="PathEnvironmentVariable"/> value; null or blank means <see cref="KernelPath.Auto"/>.</summary>
    /// <exception cref="FormatException">Not one of scalar, vector128, avx2, avx512, auto.</exception>
    internal static KernelPath ParsePathSetting(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => KernelPath.Auto,
        "scalar" => KernelPath.Scalar,
        "vector128" => KernelPath.Vector128,
        "avx2" => KernelPath.Avx2,
        "avx512" => KernelPath.Avx512,
        _ => throw new FormatException($"{PathEnvironmentVariable}='{value}' is not a kernel path: expected scalar, vector128, avx2, avx512 or auto."),
    };

    /// <summary>The default path for a setting: the best path for Auto, else the forced path if supported.</summary>
    /// <exception cref="FormatException">The setting is not a path name.</exception>
    /// <exception cref="NotSupportedException">The forced path is not supported by this CPU.</exception>
    internal static KernelPath DefaultPathFor(string? setting)
    {
        KernelPath forced = ParsePathSetting(setting);
        if (forced == KernelPath.Auto) return BestSupportedPath;
        if (!IsSupported(forced))
            throw new NotSupportedException($"{PathEnvironmentVariable}={setting} forces kernel path {forced}, which this CPU does not support (supported: {string.Join(", ", s_supportedPaths)}).");
        return forced;
    }

    private static KernelPath[] DetectSupportedPaths()
    {
        var paths = new List<KernelPath> { KernelPath.Scalar };
        if (IsSupported(KernelPath.Vector128)) paths.Add(KernelPath.Vector128);
        if (IsSupported(KernelPath.Avx2)) paths.Add(KernelPath.Avx2);
        if (IsSupported(KernelPath.Avx512)) paths.Add(KernelPath.Avx512);
        return paths.ToArray();
    }

    /// <summary>The environment setting, read once; a bad setting is kept as the error to throw on use.</summary>
    private static class EnvironmentDefault
    {
        public static readonly (KernelPath Path, Exception? Error) Value = Read();

        private static (KernelPath, Exception?) Read()
        {
            try { return (DefaultPathFor(Environment.GetEnvironmentVariable(PathEnvironmentVariable)), null); }
            catch (Exception e) when (e is FormatException or NotSupportedException) { return (KernelPath.Auto, e); }
        }
    }
}
