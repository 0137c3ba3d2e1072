using System;
using System.Collections.Generic;
using System.Globalization;
using LlmSize.Core.Catalog;
using YamlDotNet.RepresentationModel;

namespace LlmSize.Data.Catalog
{
    /// <summary>Thrown for one bad catalog entry; the reader turns it into a <see cref="CatalogProblem"/> and goes on.</summary>
    internal sealed class EntryException : Exception
    {
        public EntryException(string errorId, int line, string? field, string message) : base(message)
        {
            ErrorId = errorId; Line = line; Field = field;
        }
        public string ErrorId { get; }
        public int Line { get; }
        public string? Field { get; }
    }

    /// <summary>Typed, culture-invariant access to YAML mapping values with line numbers for error messages.</summary>
    internal static class YamlValues
    {
        public static int LineOf(YamlNode node) => (int)node.Start.Line;

        public static YamlNode? Child(YamlMappingNode map, string key)
        {
            foreach (var pair in map.Children)
                if (pair.Key is YamlScalarNode k && k.Value == key) return pair.Value;
            return null;
        }

        public static bool IsNull(YamlNode? node) =>
            node == null || (node is YamlScalarNode s && s.Style == YamlDotNet.Core.ScalarStyle.Plain && (s.Value == null || s.Value == "null" || s.Value == "~" || s.Value == ""));

        public static string? OptionalString(YamlMappingNode map, string key)
        {
            var node = Child(map, key);
            if (IsNull(node)) return null;
            if (node is YamlScalarNode s) return s.Value;
            throw new EntryException("InvalidFieldType", LineOf(node!), key, "'" + key + "' must be a text value.");
        }

        public static string RequiredString(YamlMappingNode map, string key, string what)
        {
            var value = OptionalString(map, key);
            if (string.IsNullOrWhiteSpace(value))
                throw new EntryException("MissingField", LineOf(map), key, "the required field '" + key + "' (" + what + ") is missing.");
            return value!;
        }

        public static double? OptionalNumber(YamlMappingNode map, string key, bool allowZero = true)
        {
            var node = Child(map, key);
            if (IsNull(node)) return null;
            if (node is YamlScalarNode s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                && !double.IsNaN(v) && !double.IsInfinity(v))
            {
                if (v < 0 || (!allowZero && v == 0))
                    throw new EntryException("InvalidFieldValue", LineOf(node!), key,
                        "'" + key + "' is " + s.Value + "; it must be a " + (allowZero ? "non-negative" : "positive") + " number (null when unknown).");
                return v;
            }
            string shown = node is YamlScalarNode sc ? "'" + sc.Value + "'" : "a " + node!.NodeType.ToString().ToLowerInvariant();
            throw new EntryException("InvalidFieldValue", LineOf(node!), key,
                "'" + key + "' is " + shown + "; it must be a number written with '.' as decimal separator (null when unknown).");
        }

        public static long? OptionalInteger(YamlMappingNode map, string key)
        {
            var node = Child(map, key);
            double? v = OptionalNumber(map, key);
            if (v == null) return null;
            if (v.Value != Math.Floor(v.Value) || v.Value > long.MaxValue)
                throw new EntryException("InvalidFieldValue", LineOf(node!), key, "'" + key + "' must be a whole number.");
            return (long)v.Value;
        }

        public static bool? OptionalBool(YamlMappingNode map, string key)
        {
            var node = Child(map, key);
            if (IsNull(node)) return null;
            if (node is YamlScalarNode s)
            {
                if (string.Equals(s.Value, "true", StringComparison.OrdinalIgnoreCase)) return true;
                if (string.Equals(s.Value, "false", StringComparison.OrdinalIgnoreCase)) return false;
            }
            throw new EntryException("InvalidFieldValue", LineOf(node!), key, "'" + key + "' must be true or false.");
        }

        public static YamlMappingNode? OptionalMap(YamlMappingNode map, string key)
        {
            var node = Child(map, key);
            if (IsNull(node)) return null;
            if (node is YamlMappingNode m) return m;
            throw new EntryException("InvalidFieldType", LineOf(node!), key, "'" + key + "' must be a mapping (key: value lines).");
        }

        public static IReadOnlyList<YamlNode> OptionalSequence(YamlMappingNode map, string key)
        {
            var node = Child(map, key);
            if (IsNull(node)) return Array.Empty<YamlNode>();
            if (node is YamlSequenceNode seq) return seq.Children as IReadOnlyList<YamlNode> ?? new List<YamlNode>(seq.Children);
            throw new EntryException("InvalidFieldType", LineOf(node!), key, "'" + key + "' must be a list.");
        }

        public static IReadOnlyList<string> StringList(YamlMappingNode map, string key)
        {
            var list = new List<string>();
            foreach (var item in OptionalSequence(map, key))
            {
                if (item is YamlScalarNode s && !string.IsNullOrWhiteSpace(s.Value)) list.Add(s.Value!);
                else throw new EntryException("InvalidFieldType", LineOf(item), key, "every item of '" + key + "' must be a text value.");
            }
            return list;
        }
    }
}
