using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace LlmSize.Data
{
    /// <summary>
    /// Typed, located access to one mapping of a config (a config.json or a catalog <c>config:</c> block).
    /// Every failure becomes a <see cref="CatalogException"/> that names the file, the line and the field.
    /// JSON null and YAML null (~, null, empty) count as absent, as Hugging Face's config classes treat None.
    /// Remembers which keys were read so the rest can be kept as diagnostics.
    /// </summary>
    internal sealed class ConfigFields
    {
        private readonly YamlMappingNode _map;
        private readonly HashSet<string> _used = new HashSet<string>(StringComparer.Ordinal);

        public ConfigFields(YamlMappingNode map, string file)
        {
            _map = map ?? throw new ArgumentNullException(nameof(map));
            File = file ?? "";
        }

        public string File { get; }

        /// <summary>1-based line of the mapping itself (where a missing field would belong).</summary>
        public int Line => LineOf(_map);

        public static int LineOf(YamlNode node) => node.Start.Line > 0 ? (int)node.Start.Line : 0;

        /// <summary>True when the key is present with a non-null value.</summary>
        public bool Has(string key) => Node(key) != null;

        /// <summary>The first of <paramref name="keys"/> that is present with a non-null value, or null.</summary>
        public string? FirstPresent(params string[] keys) => keys.FirstOrDefault(Has);

        public YamlNode? Node(string key)
        {
            _used.Add(key);
            if (!_map.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? node)) return null;
            return IsNull(node) ? null : node;
        }

        public YamlMappingNode? Mapping(string key)
        {
            YamlNode? node = Node(key);
            if (node == null) return null;
            if (node is YamlMappingNode map) return map;
            throw Invalid(key, node, "expected a mapping (an object).", "a nested mapping of config fields.");
        }

        public string? String(string key)
        {
            YamlNode? node = Node(key);
            if (node == null) return null;
            if (node is YamlScalarNode scalar) return scalar.Value;
            throw Invalid(key, node, "expected a single value, found a " + Kind(node) + ".", "a string.");
        }

        /// <summary>A non-negative whole number from the first present key, or null when none is present.</summary>
        public int? Int(params string[] keys)
        {
            foreach (string key in keys)
            {
                YamlNode? node = Node(key);
                if (node != null) return ParseInt(key, node);
            }
            return null;
        }

        /// <summary>Like <see cref="Int"/>, but a missing field is an error.</summary>
        public int RequireInt(params string[] keys)
        {
            int? value = Int(keys);
            if (value.HasValue) return value.Value;
            throw Missing(keys);
        }

        public long? Long(params string[] keys)
        {
            foreach (string key in keys)
            {
                YamlNode? node = Node(key);
                if (node != null) return ParseLong(key, node);
            }
            return null;
        }

        public double? Double(string key)
        {
            YamlNode? node = Node(key);
            if (node == null) return null;
            string text = ScalarText(key, node, "a number such as 0.5");
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                && !double.IsNaN(value) && !double.IsInfinity(value))
                return value;
            throw Invalid(key, node, "'" + text + "' is not a number.", "a number such as 0.5 (invariant culture, '.' as decimal point).");
        }

        public bool? Bool(string key)
        {
            YamlNode? node = Node(key);
            if (node == null) return null;
            string text = ScalarText(key, node, "true or false");
            if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase)) return true;
            if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase)) return false;
            throw Invalid(key, node, "'" + text + "' is not a boolean.", "true or false.");
        }

        /// <summary>A list of non-negative whole numbers (Qwen mlp_only_layers), empty when absent.</summary>
        public IReadOnlyList<int> IntList(string key)
        {
            YamlNode? node = Node(key);
            if (node == null) return Array.Empty<int>();
            if (!(node is YamlSequenceNode sequence))
                throw Invalid(key, node, "expected a list, found a " + Kind(node) + ".", "a list of whole numbers such as [0, 1].");
            return sequence.Children.Select(item => ParseInt(key, item)).ToArray();
        }

        /// <summary>A list of strings (layer_types), or null when absent.</summary>
        public IReadOnlyList<string>? StringList(string key)
        {
            YamlNode? node = Node(key);
            if (node == null) return null;
            if (!(node is YamlSequenceNode sequence))
                throw Invalid(key, node, "expected a list, found a " + Kind(node) + ".", "a list of strings.");
            return sequence.Children.Select(item => ScalarText(key, item, "a string")).ToArray();
        }

        /// <summary>Scalar fields present in the mapping that no reader asked for.</summary>
        public IEnumerable<KeyValuePair<string, string>> Unused()
        {
            foreach (var pair in _map.Children)
            {
                if (pair.Key is YamlScalarNode key && key.Value != null && !_used.Contains(key.Value)
                    && pair.Value is YamlScalarNode value && !IsNull(value))
                    yield return new KeyValuePair<string, string>(key.Value, value.Value ?? "");
            }
        }

        public CatalogException Missing(params string[] keys)
        {
            string names = string.Join(", ", keys);
            string problem = keys.Length == 1
                ? "the field is missing (or null)."
                : "none of these fields is present: " + names + ".";
            return new CatalogException(CatalogException.MissingModelField, File, Line, keys[0], problem,
                "add '" + keys[0] + "' with a whole number ≥ 1.");
        }

        public CatalogException Invalid(string key, YamlNode node, string problem, string valid) =>
            new CatalogException(CatalogException.InvalidModelField, File, LineOf(node), key, problem, valid);

        /// <summary>Error for fields that are valid one by one but contradict each other.</summary>
        public CatalogException Contradiction(string key, string problem, string valid)
        {
            YamlNode? node = Node(key);
            return new CatalogException(CatalogException.ContradictoryModelFields, File,
                node != null ? LineOf(node) : Line, key, problem, valid);
        }

        private int ParseInt(string key, YamlNode node)
        {
            long value = ParseLong(key, node);
            if (value > int.MaxValue)
                throw Invalid(key, node, "value " + value.ToString(CultureInfo.InvariantCulture) + " is too large.",
                    "a whole number from 0 to " + int.MaxValue.ToString(CultureInfo.InvariantCulture) + ".");
            return (int)value;
        }

        private long ParseLong(string key, YamlNode node)
        {
            string text = ScalarText(key, node, "a whole number ≥ 0");
            // Invariant culture: a de-DE session must not read "1.000" as one thousand.
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                if (value < 0)
                    throw Invalid(key, node, "value " + text + " is negative.", "a whole number ≥ 0.");
                return value;
            }
            // Some exporters write whole numbers as 4096.0; accept those, reject 0.5 or text.
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double real)
                && real == Math.Floor(real) && Math.Abs(real) < 9e15)
            {
                if (real < 0) throw Invalid(key, node, "value " + text + " is negative.", "a whole number ≥ 0.");
                return (long)real;
            }
            throw Invalid(key, node, "'" + text + "' is not a whole number.", "a whole number ≥ 0 such as 4096.");
        }

        private string ScalarText(string key, YamlNode node, string valid)
        {
            if (node is YamlScalarNode scalar && scalar.Value != null) return scalar.Value.Trim();
            throw Invalid(key, node, "expected a single value, found a " + Kind(node) + ".", valid + ".");
        }

        private static bool IsNull(YamlNode node)
        {
            if (!(node is YamlScalarNode scalar)) return false;
            if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain && scalar.Style != YamlDotNet.Core.ScalarStyle.Any)
                return false; // "null" in quotes is the string null
            string? text = scalar.Value;
            return text == null || text.Length == 0 || text == "~" || text == "null" || text == "Null" || text == "NULL";
        }

        private static string Kind(YamlNode node) =>
            node is YamlMappingNode ? "mapping" : node is YamlSequenceNode ? "list" : "value";
    }
}
