using System.Globalization;

namespace HammingIndex.Benchmarks.Machine;

/// <summary>Fields of the kernel's /proc files that benchmarks print (Linux).</summary>
public static class ProcFields
{
    /// <summary>
    /// The number after <paramref name="field"/> (a label with its colon, e.g. "VmHWM:") on its line of
    /// <paramref name="path"/>, in the file's unit (kB for /proc/self/status, /proc/meminfo, smaps); -1 when
    /// the file or the line is missing.
    /// </summary>
    public static long Read(string path, string field)
    {
        if (!File.Exists(path)) return -1;
        foreach (string line in File.ReadLines(path))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
        return -1;
    }

    /// <summary>
    /// <paramref name="field"/> (e.g. "FilePmdMapped:", kB) summed over this process's maps of the file
    /// <paramref name="mappedPath"/> (/proc/self/smaps); -1 when smaps is missing.
    /// </summary>
    public static long ReadMapped(string mappedPath, string field)
    {
        const string Smaps = "/proc/self/smaps";
        if (!File.Exists(Smaps)) return -1;
        long total = 0;
        bool inside = false;
        foreach (string line in File.ReadLines(Smaps))
        {
            if (line.Length > 0 && char.IsAsciiHexDigit(line[0]) && line.Contains('-')) // a mapping's header: "start-end perms offset dev inode path"
                inside = line.EndsWith(" " + mappedPath, StringComparison.Ordinal);
            else if (inside && line.StartsWith(field, StringComparison.Ordinal))
                total += long.Parse(line[field.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
        }
        return total;
    }
}
