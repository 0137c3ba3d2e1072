using System;
using System.Collections.Generic;
using System.Linq;
using LlmSize.Core.Catalog;
using LlmSize.Core.Hardware;
using LlmSize.Core.Models;

namespace LlmSize.Data.Catalog
{
    /// <summary>Result of resolving a name against a catalog: one match, none, or several (ambiguous alias).</summary>
    public sealed class Resolution<T> where T : class
    {
        internal Resolution(T? match, IReadOnlyList<T> candidates) { Match = match; Candidates = candidates; }
        public T? Match { get; }
        /// <summary>All entries the name matched; more than one means the name is ambiguous.</summary>
        public IReadOnlyList<T> Candidates { get; }
        public bool IsAmbiguous => Match == null && Candidates.Count > 1;
    }

    /// <summary>
    /// The loaded model and accelerator catalogs, shipped entries overridden by user entries with the same id,
    /// with the problems found while reading. Immutable once built; shared across threads and pipelines.
    /// </summary>
    public sealed class Catalog
    {
        private readonly NameIndex<ModelSpec> _models;
        private readonly NameIndex<GpuSpec> _gpus;

        internal Catalog(IReadOnlyList<ModelSpec> models, IReadOnlyList<GpuSpec> gpus, IReadOnlyList<CatalogProblem> problems, IReadOnlyList<string> files)
        {
            Models = models; Gpus = gpus; Problems = problems; Files = files;
            _models = new NameIndex<ModelSpec>(models, m => m.Id, m => new[] { m.Name, m.HuggingFaceId }.Concat(m.Aliases));
            _gpus = new NameIndex<GpuSpec>(gpus, g => g.Id, g => new[] { g.Name }.Concat(g.Aliases));
        }

        public IReadOnlyList<ModelSpec> Models { get; }
        public IReadOnlyList<GpuSpec> Gpus { get; }
        /// <summary>Bad entries and files that were skipped, and overrides worth a warning.</summary>
        public IReadOnlyList<CatalogProblem> Problems { get; }
        /// <summary>The YAML files this catalog was read from, in load order.</summary>
        public IReadOnlyList<string> Files { get; }

        /// <summary>The form names are compared in: lowercase, without spaces, '-', '_' and '.'.</summary>
        public static string NormalizeName(string name) => NameIndex<object>.Normalize(name);

        public Resolution<ModelSpec> ResolveModel(string name) => _models.Resolve(name);
        public Resolution<GpuSpec> ResolveGpu(string name) => _gpus.Resolve(name);

        /// <summary>Every name a model answers to (id, name, Hugging Face id, aliases), for wildcard matching.</summary>
        public static IEnumerable<string> NamesOf(ModelSpec m)
        {
            yield return m.Id; yield return m.Name;
            if (m.HuggingFaceId != null) yield return m.HuggingFaceId;
            foreach (var a in m.Aliases) yield return a;
        }

        public static IEnumerable<string> NamesOf(GpuSpec g)
        {
            yield return g.Id; yield return g.Name;
            foreach (var a in g.Aliases) yield return a;
        }
    }

    /// <summary>
    /// Case-insensitive name lookup: exact id first, then any name or alias compared after dropping spaces, '-', '_'
    /// and '.' ("RTX 4090" = "rtx4090" = "rtx-4090"). An alias shared by several entries is ambiguous.
    /// </summary>
    internal sealed class NameIndex<T> where T : class
    {
        private readonly Dictionary<string, T> _byId = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, List<T>> _byKey = new Dictionary<string, List<T>>(StringComparer.Ordinal);

        public NameIndex(IEnumerable<T> items, Func<T, string> id, Func<T, IEnumerable<string?>> names)
        {
            foreach (var item in items)
            {
                _byId[id(item)] = item;
                foreach (var n in names(item).Concat(new[] { id(item) }))
                {
                    if (string.IsNullOrWhiteSpace(n)) continue;
                    string key = Normalize(n!);
                    if (!_byKey.TryGetValue(key, out var list)) _byKey[key] = list = new List<T>();
                    if (!list.Contains(item)) list.Add(item);
                }
            }
        }

        public Resolution<T> Resolve(string name)
        {
            if (string.IsNullOrWhiteSpace(name)) return new Resolution<T>(null, Array.Empty<T>());
            if (_byId.TryGetValue(name.Trim(), out var exact)) return new Resolution<T>(exact, new[] { exact });
            if (_byKey.TryGetValue(Normalize(name), out var list))
                return new Resolution<T>(list.Count == 1 ? list[0] : null, list);
            return new Resolution<T>(null, Array.Empty<T>());
        }

        internal static string Normalize(string name)
        {
            var chars = new char[name.Length];
            int n = 0;
            foreach (char c in name)
                if (c != ' ' && c != '-' && c != '_' && c != '.') chars[n++] = char.ToLowerInvariant(c);
            return new string(chars, 0, n);
        }
    }
}
