using System.Globalization;

namespace HammingIndex.Training.IO;

/// <summary>
/// Parses and formats the header dictionary of a .npy file, a Python literal such as
/// <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (2173, 128), }</c>.
/// Only what that dictionary may hold is understood: quoted strings, True/False and tuples of
/// non-negative integers.
/// </summary>
internal static class NpyHeaderText
{
    public static (string Descr, bool FortranOrder, long[] Shape) Parse(string text, string source)
    {
        var reader = new Reader(text, source);
        string? descr = null;
        bool? fortran = null;
        long[]? shape = null;
        reader.Expect('{');
        while (true)
        {
            reader.SkipSpace();
            if (reader.TryTake('}')) break;
            string key = reader.ReadString();
            reader.Expect(':');
            switch (key)
            {
                case "descr": descr = reader.ReadString(); break;
                case "fortran_order": fortran = reader.ReadBool(); break;
                case "shape": shape = reader.ReadShape(); break;
                default: throw reader.Error($"unknown header key '{key}'");
            }
            reader.SkipSpace();
            if (reader.TryTake(',')) continue;
            reader.Expect('}');
            break;
        }
        if (descr is null) throw reader.Error("the header has no 'descr'");
        if (fortran is null) throw reader.Error("the header has no 'fortran_order'");
        if (shape is null) throw reader.Error("the header has no 'shape'");
        return (descr, fortran.Value, shape);
    }

    public static string Format(string descr, IReadOnlyList<long> shape)
    {
        string dims = shape.Count == 1
            ? shape[0].ToString(CultureInfo.InvariantCulture) + ","
            : string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        return $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
    }

    private ref struct Reader(string text, string source)
    {
        private int _pos;

        public void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        public bool TryTake(char c)
        {
            SkipSpace();
            if (_pos < text.Length && text[_pos] == c)
            {
                _pos++;
                return true;
            }
            return false;
        }

        public void Expect(char c)
        {
            if (!TryTake(c)) throw Error($"expected '{c}'");
        }

        public string ReadString()
        {
            SkipSpace();
            if (_pos >= text.Length || (text[_pos] != '\'' && text[_pos] != '"')) throw Error("expected a quoted string");
            char quote = text[_pos++];
            int end = text.IndexOf(quote, _pos);
            if (end < 0) throw Error("unterminated string");
            string value = text[_pos..end];
            _pos = end + 1;
            return value;
        }

        public bool ReadBool()
        {
            SkipSpace();
            if (string.CompareOrdinal(text, _pos, "True", 0, 4) == 0) { _pos += 4; return true; }
            if (string.CompareOrdinal(text, _pos, "False", 0, 5) == 0) { _pos += 5; return false; }
            throw Error("expected True or False");
        }

        public long[] ReadShape()
        {
            Expect('(');
            var dims = new List<long>();
            while (true)
            {
                if (TryTake(')')) break;
                dims.Add(ReadInteger());
                if (TryTake(',')) continue;
                Expect(')');
                break;
            }
            return dims.ToArray();
        }

        private long ReadInteger()
        {
            SkipSpace();
            int start = _pos;
            while (_pos < text.Length && char.IsAsciiDigit(text[_pos])) _pos++;
            // NumPy may write Python 2 longs as "10L".
            string digits = text[start.._pos];
            if (_pos < text.Length && text[_pos] == 'L') _pos++;
            if (digits.Length == 0 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                throw Error("expected a non-negative integer dimension");
            return value;
        }

        public readonly InvalidDataException Error(string what) =>
            new($"{source}: bad .npy header: {what} at character {_pos} of \"{text.TrimEnd()}\".");
    }
}
