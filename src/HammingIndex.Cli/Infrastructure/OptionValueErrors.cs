using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Spectre.Console.Cli;

namespace HammingIndex.Cli.Infrastructure;

/// <summary>
/// Turns the parser's "Failed to convert 'abc' to Nullable`1" into a line naming the option, the
/// value and what is expected, by finding the option whose value does not convert to its type in
/// the settings of the command (<c>train</c> → <c>TrainSettings</c>).
/// </summary>
internal static class OptionValueErrors
{
    /// <summary>The clear message for a value that did not convert, or null when the arguments do not show one.</summary>
    public static string? Describe(string[] args)
    {
        if (args.Length == 0 || SettingsOf(args[0]) is not Type settings) return null;
        var options = settings.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Option: p.GetCustomAttribute<CommandOptionAttribute>()))
            .Where(o => o.Option is not null)
            .ToArray();
        for (int i = 1; i < args.Length; i++)
        {
            string name = args[i], value;
            if (!name.StartsWith('-')) continue;
            int eq = name.IndexOf('=', StringComparison.Ordinal);
            bool inline = eq > 0;
            if (inline) name = name[..eq];
            var (property, option) = options.FirstOrDefault(o => o.Option!.LongNames.Any(n => "--" + n == name) || o.Option!.ShortNames.Any(n => "-" + n == name));
            if (property is null) continue;
            Type type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type == typeof(bool)) continue;
            if (inline) value = args[i][(eq + 1)..];
            else if (i + 1 < args.Length) value = args[++i];
            else continue;
            if (Converts(type, value)) continue;
            string? description = property.GetCustomAttribute<DescriptionAttribute>()?.Description;
            return $"{name}: '{value}' is not a valid value; expected {Expected(type)}{(description is null ? "" : $" ({description.TrimEnd('.')})")}.";
        }
        return null;
    }

    private static Type? SettingsOf(string command)
    {
        if (command.Length == 0 || !char.IsLetter(command[0])) return null;
        string name = $"{typeof(OptionValueErrors).Namespace![..^".Infrastructure".Length]}.Commands.{char.ToUpperInvariant(command[0])}{command[1..]}Settings";
        return typeof(OptionValueErrors).Assembly.GetType(name);
    }

    private static bool Converts(Type type, string value)
    {
        try
        {
            if (type.IsEnum) return Enum.TryParse(type, value, ignoreCase: true, out _);
            _ = TypeDescriptor.GetConverter(type).ConvertFromString(null, CultureInfo.InvariantCulture, value);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return false;
        }
    }

    private static string Expected(Type type) =>
        type.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))}"
        : type == typeof(int) ? $"a whole number from {int.MinValue} to {int.MaxValue}"
        : type == typeof(long) ? "a whole number"
        : type == typeof(double) || type == typeof(float) ? "a number such as 0.5"
        : $"a {type.Name}";
}
