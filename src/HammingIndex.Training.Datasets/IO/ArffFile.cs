using System.Globalization;

namespace HammingIndex.Training.IO;

/// <summary>
/// Reads the dense ARFF files of Weka (e.g. the UCI sets shipped with Debian's weka package):
/// <c>@relation</c>, <c>@attribute NAME numeric|real|integer|{v1,v2,...}</c>, <c>@data</c>, then
/// one comma-separated row per line; <c>%</c> starts a comment. Nominal values are stored as
/// their index in the declaration. Refused, naming the file and line: missing values (<c>?</c>),
/// sparse rows, string/date attributes, wrong field counts, unknown nominal values.
/// </summary>
public static class ArffFile
{
    /// <summary>Reads the ARFF file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a dense ARFF file this reader accepts.</exception>
    public static ArffTable Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads an ARFF table from <paramref name="reader"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The text is not a dense ARFF file this reader accepts.</exception>
    public static ArffTable Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string relation = "";
        var attributes = new List<ArffAttribute>();
        var rows = new List<double[]>();
        bool inData = false;
        int lineNumber = 0;
        for (string? raw = reader.ReadLine(); raw is not null; raw = reader.ReadLine())
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '%') continue;
            InvalidDataException Error(string what) => new($"{source}, line {lineNumber}: {what}");
            if (!inData)
            {
                if (line.StartsWith("@relation", StringComparison.OrdinalIgnoreCase)) relation = line[9..].Trim().Trim('\'', '"');
                else if (line.StartsWith("@attribute", StringComparison.OrdinalIgnoreCase)) attributes.Add(ParseAttribute(line[10..].Trim(), Error));
                else if (line.StartsWith("@data", StringComparison.OrdinalIgnoreCase)) inData = true;
                else throw Error($"expected @relation, @attribute or @data, found \"{line}\".");
                continue;
            }
            if (line[0] == '{') throw Error("sparse ARFF rows are not supported.");
            string[] fields = line.Split(',');
            if (fields.Length != attributes.Count)
                throw Error($"{fields.Length} fields, but {attributes.Count} attributes are declared.");
            var row = new double[fields.Length];
            for (int i = 0; i < fields.Length; i++)
            {
                string field = fields[i].Trim().Trim('\'', '"');
                ArffAttribute attribute = attributes[i];
                if (field == "?") throw Error($"attribute '{attribute.Name}' is missing ('?'); missing values are not supported.");
                if (attribute.NominalValues is { } values)
                {
                    int index = Array.IndexOf(values, field);
                    if (index < 0) throw Error($"'{field}' is not a value of nominal attribute '{attribute.Name}' ({string.Join(", ", values)}).");
                    row[i] = index;
                }
                else if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out row[i]) || !double.IsFinite(row[i]))
                {
                    throw Error($"'{field}' is not a finite number (attribute '{attribute.Name}').");
                }
            }
            rows.Add(row);
        }
        if (!inData) throw new InvalidDataException($"{source}: no @data section.");
        var values2 = new double[rows.Count * attributes.Count];
        for (int r = 0; r < rows.Count; r++) rows[r].CopyTo(values2, r * attributes.Count);
        return new ArffTable(relation, attributes, new FeatureMatrix(rows.Count, attributes.Count, values2));
    }

    private static ArffAttribute ParseAttribute(string text, Func<string, InvalidDataException> error)
    {
        string name, type;
        if (text.StartsWith('\'') || text.StartsWith('"'))
        {
            int end = text.IndexOf(text[0], 1);
            if (end < 0) throw error("unterminated attribute name.");
            name = text[1..end];
            type = text[(end + 1)..].Trim();
        }
        else
        {
            int space = text.IndexOfAny([' ', '\t', '{']);
            if (space < 0) throw error($"attribute \"{text}\" has no type.");
            name = text[..space];
            type = text[space..].Trim();
        }
        if (type.StartsWith('{'))
        {
            if (!type.EndsWith('}')) throw error($"unterminated nominal values of attribute '{name}'.");
            string[] values = type[1..^1].Split(',').Select(v => v.Trim().Trim('\'', '"')).ToArray();
            return new ArffAttribute(name, values);
        }
        return type.ToLowerInvariant() switch
        {
            "numeric" or "real" or "integer" => new ArffAttribute(name, null),
            _ => throw error($"attribute '{name}' has type '{type}'; only numeric and nominal attributes are supported."),
        };
    }
}

/// <summary>One attribute of an ARFF file.</summary>
/// <param name="Name">Attribute name.</param>
/// <param name="NominalValues">The declared values of a nominal attribute (stored as their index), or null for a numeric one.</param>
public sealed record ArffAttribute(string Name, string[]? NominalValues);

/// <summary>A dense ARFF table: one row per instance, one column per attribute.</summary>
/// <param name="Relation">The @relation name.</param>
/// <param name="Attributes">The attributes, in column order.</param>
/// <param name="Values">The values: numbers as read, nominal values as their index.</param>
public sealed record ArffTable(string Relation, IReadOnlyList<ArffAttribute> Attributes, FeatureMatrix Values)
{
    /// <summary>Column index of the attribute called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such attribute.</exception>
    public int ColumnOf(string name)
    {
        for (int i = 0; i < Attributes.Count; i++)
            if (Attributes[i].Name == name) return i;
        throw new KeyNotFoundException($"No attribute '{name}' in relation '{Relation}' (attributes: {string.Join(", ", Attributes.Select(a => a.Name))}).");
    }
}
