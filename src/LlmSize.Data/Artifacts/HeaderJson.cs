using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace LlmSize.Data.Artifacts
{
    /// <summary>A JSON object: members in document order, keys unique (a duplicate key is a parse error).</summary>
    internal sealed class JsonObject
    {
        private readonly Dictionary<string, int> _index = new Dictionary<string, int>(StringComparer.Ordinal);

        public List<JsonMember> Members { get; } = new List<JsonMember>();

        public bool TryAdd(JsonMember member)
        {
            if (_index.ContainsKey(member.Key)) return false;
            _index.Add(member.Key, Members.Count);
            Members.Add(member);
            return true;
        }

        public JsonMember? Find(string key) => _index.TryGetValue(key, out int i) ? Members[i] : null;
    }

    /// <summary>A member of a JSON object, with the byte position of its value in the parsed buffer.</summary>
    internal sealed class JsonMember
    {
        public JsonMember(string key, object? value, int position)
        {
            Key = key;
            Value = value;
            Position = position;
        }

        public string Key { get; }
        /// <summary>JsonObject, List&lt;object?&gt;, string, JsonNumber, bool or null.</summary>
        public object? Value { get; }
        public int Position { get; }
    }

    /// <summary>A JSON number kept as its source text (RFC 8259 grammar), converted on demand.</summary>
    internal sealed class JsonNumber
    {
        public JsonNumber(string text) { Text = text; }

        public string Text { get; }

        /// <summary>No fraction and no exponent.</summary>
        public bool IsInteger => Text.IndexOfAny(new[] { '.', 'e', 'E' }) < 0;

        public bool IsNegative => Text.Length > 0 && Text[0] == '-';

        /// <summary>Integer value; false when not an integer or outside the long range.</summary>
        public bool TryGetInt64(out long value) =>
            long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && IsInteger;

        public double ToDouble() => double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);

        public override string ToString() => Text;
    }

    internal sealed class JsonParseException : Exception
    {
        public JsonParseException(int position, string reason) : base(reason) { Position = position; }
        public int Position { get; }
    }

    /// <summary>
    /// A small strict JSON (RFC 8259) parser over UTF-8 bytes, enough for safetensors headers and shard indexes:
    /// no comments, no trailing commas, strict UTF-8, bounded nesting depth, whitespace allowed around the value.
    /// </summary>
    internal sealed class HeaderJson
    {
        private const int MaxDepth = 64;
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        private readonly byte[] _data;
        private readonly int _end;
        private int _pos;
        private readonly StringBuilder _sb = new StringBuilder();

        private HeaderJson(byte[] data, int start, int length)
        {
            _data = data;
            _pos = start;
            _end = start + length;
        }

        /// <summary>Parses one JSON value filling the range (surrounding whitespace allowed).</summary>
        /// <exception cref="JsonParseException">invalid JSON; Position is the byte index in <paramref name="data"/>.</exception>
        public static object? Parse(byte[] data, int start, int length)
        {
            var p = new HeaderJson(data, start, length);
            p.SkipWhitespace();
            object? value = p.ParseValue(0);
            p.SkipWhitespace();
            if (p._pos != p._end) throw new JsonParseException(p._pos, "unexpected content after the JSON value.");
            return value;
        }

        private object? ParseValue(int depth)
        {
            if (_pos >= _end) throw new JsonParseException(_pos, "unexpected end of JSON.");
            switch (_data[_pos])
            {
                case (byte)'{': return ParseObject(depth + 1);
                case (byte)'[': return ParseArray(depth + 1);
                case (byte)'"': return ParseString();
                case (byte)'t': ExpectLiteral("true"); return true;
                case (byte)'f': ExpectLiteral("false"); return false;
                case (byte)'n': ExpectLiteral("null"); return null;
                default: return ParseNumber();
            }
        }

        private JsonObject ParseObject(int depth)
        {
            if (depth > MaxDepth) throw new JsonParseException(_pos, "JSON nested deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels.");
            var obj = new JsonObject();
            _pos++; // {
            SkipWhitespace();
            if (Peek() == '}') { _pos++; return obj; }
            while (true)
            {
                SkipWhitespace();
                int keyPos = _pos;
                if (Peek() != '"') throw new JsonParseException(_pos, "expected a member name string.");
                string key = ParseString();
                SkipWhitespace();
                if (Peek() != ':') throw new JsonParseException(_pos, "expected ':' after a member name.");
                _pos++;
                SkipWhitespace();
                int valuePos = _pos;
                object? value = ParseValue(depth);
                if (!obj.TryAdd(new JsonMember(key, value, valuePos)))
                    throw new JsonParseException(keyPos, "duplicate key \"" + key + "\".");
                SkipWhitespace();
                int c = Peek();
                _pos++;
                if (c == '}') return obj;
                if (c != ',') throw new JsonParseException(_pos - 1, "expected ',' or '}' in an object.");
            }
        }

        private List<object?> ParseArray(int depth)
        {
            if (depth > MaxDepth) throw new JsonParseException(_pos, "JSON nested deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels.");
            var list = new List<object?>();
            _pos++; // [
            SkipWhitespace();
            if (Peek() == ']') { _pos++; return list; }
            while (true)
            {
                SkipWhitespace();
                list.Add(ParseValue(depth));
                SkipWhitespace();
                int c = Peek();
                _pos++;
                if (c == ']') return list;
                if (c != ',') throw new JsonParseException(_pos - 1, "expected ',' or ']' in an array.");
            }
        }

        private string ParseString()
        {
            int start = ++_pos; // opening quote
            // Fast path: a run without escapes decodes straight from the buffer.
            while (_pos < _end)
            {
                byte b = _data[_pos];
                if (b == '"')
                {
                    string s = Decode(start, _pos - start);
                    _pos++;
                    return s;
                }
                if (b == '\\') break;
                if (b < 0x20) throw new JsonParseException(_pos, "control character in a string.");
                _pos++;
            }

            _sb.Clear();
            _sb.Append(Decode(start, _pos - start));
            while (true)
            {
                if (_pos >= _end) throw new JsonParseException(_pos, "unterminated string.");
                byte b = _data[_pos];
                if (b == '"') { _pos++; return _sb.ToString(); }
                if (b < 0x20) throw new JsonParseException(_pos, "control character in a string.");
                if (b != '\\')
                {
                    int runStart = _pos;
                    while (_pos < _end && _data[_pos] != '"' && _data[_pos] != '\\' && _data[_pos] >= 0x20) _pos++;
                    _sb.Append(Decode(runStart, _pos - runStart));
                    continue;
                }
                _pos++;
                if (_pos >= _end) throw new JsonParseException(_pos, "unterminated escape.");
                byte e = _data[_pos++];
                switch (e)
                {
                    case (byte)'"': _sb.Append('"'); break;
                    case (byte)'\\': _sb.Append('\\'); break;
                    case (byte)'/': _sb.Append('/'); break;
                    case (byte)'b': _sb.Append('\b'); break;
                    case (byte)'f': _sb.Append('\f'); break;
                    case (byte)'n': _sb.Append('\n'); break;
                    case (byte)'r': _sb.Append('\r'); break;
                    case (byte)'t': _sb.Append('\t'); break;
                    case (byte)'u': _sb.Append((char)ParseHex4()); break; // surrogate halves pass through as UTF-16
                    default: throw new JsonParseException(_pos - 1, "invalid escape sequence.");
                }
            }
        }

        private int ParseHex4()
        {
            if (_end - _pos < 4) throw new JsonParseException(_pos, "truncated \\u escape.");
            int v = 0;
            for (int i = 0; i < 4; i++)
            {
                int c = _data[_pos++];
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (d < 0) throw new JsonParseException(_pos - 1, "invalid hex digit in \\u escape.");
                v = v * 16 + d;
            }
            return v;
        }

        private JsonNumber ParseNumber()
        {
            int start = _pos;
            if (Peek() == '-') _pos++;
            if (Peek() == '0') _pos++;
            else if (IsDigit(Peek())) while (IsDigit(Peek())) _pos++;
            else throw new JsonParseException(start, "unexpected character.");
            if (Peek() == '.')
            {
                _pos++;
                if (!IsDigit(Peek())) throw new JsonParseException(_pos, "digit expected after '.'.");
                while (IsDigit(Peek())) _pos++;
            }
            if (Peek() == 'e' || Peek() == 'E')
            {
                _pos++;
                if (Peek() == '+' || Peek() == '-') _pos++;
                if (!IsDigit(Peek())) throw new JsonParseException(_pos, "digit expected in exponent.");
                while (IsDigit(Peek())) _pos++;
            }
            return new JsonNumber(Encoding.ASCII.GetString(_data, start, _pos - start));
        }

        private void ExpectLiteral(string literal)
        {
            if (_end - _pos < literal.Length) throw new JsonParseException(_pos, "unexpected end of JSON.");
            for (int i = 0; i < literal.Length; i++)
                if (_data[_pos + i] != literal[i]) throw new JsonParseException(_pos, "unexpected character.");
            _pos += literal.Length;
        }

        private string Decode(int start, int count)
        {
            try { return StrictUtf8.GetString(_data, start, count); }
            catch (DecoderFallbackException) { throw new JsonParseException(start, "string is not valid UTF-8."); }
        }

        private int Peek() => _pos < _end ? _data[_pos] : -1;

        private static bool IsDigit(int c) => c >= '0' && c <= '9';

        private void SkipWhitespace()
        {
            while (_pos < _end)
            {
                byte b = _data[_pos];
                if (b != ' ' && b != '\t' && b != '\n' && b != '\r') return;
                _pos++;
            }
        }
    }
}
