using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using LlmSize.Core.Catalog;
using LlmSize.Core.Hardware;
using LlmSize.Core.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LlmSize.Data.Catalog
{
    /// <summary>
    /// Reads catalogs from YAML files. Each file is a list of entries; an entry with a <c>config</c> mapping is a model,
    /// one with a <c>memory</c> mapping is an accelerator. Layers are read in order and a later layer's entry overrides
    /// an earlier one with the same id field by field: its top-level fields replace the earlier ones, the rest are kept
    /// (user catalogs override the shipped ones, e.g. only `price:`). Results are cached per set of files
    /// and their timestamps, so a catalog is parsed once per session unless a file changes.
    /// </summary>
    public static class CatalogLoader
    {
        /// <summary>Environment variable with extra catalog folders or files, separated by the platform's path separator.</summary>
        public const string PathVariable = "LLMSIZE_CATALOG_PATH";

        private static readonly ConcurrentDictionary<string, Lazy<Catalog>> s_cache = new ConcurrentDictionary<string, Lazy<Catalog>>(StringComparer.Ordinal);

        /// <summary>The per-user catalog folder: $XDG_CONFIG_HOME/LlmSize or ~/.config/LlmSize; %APPDATA%\LlmSize on Windows.</summary>
        public static string UserCatalogFolder =>
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "LlmSize");

        /// <summary>The user layer: the well-known folder, then every entry of LLMSIZE_CATALOG_PATH.</summary>
        public static IReadOnlyList<string> UserCatalogPaths()
        {
            var paths = new List<string> { UserCatalogFolder };
            string? env = Environment.GetEnvironmentVariable(PathVariable);
            if (!string.IsNullOrWhiteSpace(env))
                paths.AddRange(env!.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()));
            return paths;
        }

        /// <summary>The shipped catalog (module data folder) overridden by the user layer. Cached.</summary>
        public static Catalog LoadDefault(string shippedDataFolder) =>
            Load(new[] { (IReadOnlyList<string>)new[] { shippedDataFolder }, UserCatalogPaths() });

        /// <summary>Loads layers of files or folders (folders are searched recursively for *.yaml / *.yml). Cached.</summary>
        public static Catalog Load(IReadOnlyList<IReadOnlyList<string>> layers)
        {
            var files = layers.Select(ExpandFiles).ToList();
            var key = new StringBuilder();
            foreach (var layer in files)
            {
                key.Append('|');
                foreach (var f in layer)
                    key.Append(f).Append('@').Append(File.GetLastWriteTimeUtc(f).Ticks.ToString(CultureInfo.InvariantCulture))
                       .Append(':').Append(new FileInfo(f).Length.ToString(CultureInfo.InvariantCulture)).Append(';');
            }
            return s_cache.GetOrAdd(key.ToString(), _ => new Lazy<Catalog>(() => Build(files))).Value;
        }

        /// <summary>Parses the layers every time, bypassing the cache (benchmarks measure a cold parse with it).</summary>
        internal static Catalog LoadUncached(IReadOnlyList<IReadOnlyList<string>> layers) => Build(layers.Select(ExpandFiles).ToList());

        /// <summary>Files of a layer, in a stable order; missing paths are skipped (a user folder need not exist).</summary>
        private static IReadOnlyList<string> ExpandFiles(IReadOnlyList<string> paths)
        {
            var result = new List<string>();
            foreach (var p in paths)
            {
                if (Directory.Exists(p))
                    result.AddRange(Directory.EnumerateFiles(p, "*.*", SearchOption.AllDirectories)
                        .Where(IsYaml).OrderBy(f => f, StringComparer.Ordinal));
                else if (File.Exists(p)) result.Add(Path.GetFullPath(p));
            }
            return result;
        }

        private static bool IsYaml(string f) =>
            f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

        private static Catalog Build(IReadOnlyList<IReadOnlyList<string>> layers)
        {
            var models = new Dictionary<string, ModelSpec>(StringComparer.OrdinalIgnoreCase);
            var gpus = new Dictionary<string, GpuSpec>(StringComparer.OrdinalIgnoreCase);
            var modelOrder = new List<string>();
            var gpuOrder = new List<string>();
            var problems = new List<CatalogProblem>();
            var allFiles = new List<string>();

            // The effective entry of every id so far: a later layer's entry is merged over it (its top-level fields win).
            var effective = new Dictionary<string, YamlMappingNode>(StringComparer.OrdinalIgnoreCase);
            foreach (var layer in layers)
            {
                // Ids seen in this layer, to catch duplicates within a layer (an error) apart from overrides across layers.
                var seen = new Dictionary<string, (string file, int line)>(StringComparer.OrdinalIgnoreCase);
                foreach (var file in layer)
                {
                    allFiles.Add(file);
                    foreach (var entry in ReadEntries(file, problems))
                    {
                        try
                        {
                            string id = GpuCatalogReader.ReadId(entry);
                            if (seen.TryGetValue(id, out var first))
                                throw new EntryException("DuplicateId", YamlValues.LineOf(entry), "id",
                                    "id '" + id + "' is already defined at " + first.file + ":" + first.line.ToString(CultureInfo.InvariantCulture) + "; ids must be unique (the first entry is kept).");
                            seen[id] = (file, YamlValues.LineOf(entry));
                            var merged = effective.TryGetValue(id, out var earlier) ? Merge(earlier, entry) : entry;
                            bool isModel = YamlValues.Child(merged, "config") != null;
                            bool isGpu = YamlValues.Child(merged, "memory") != null;
                            if (isModel == isGpu)
                                throw new EntryException("UnknownEntryKind", YamlValues.LineOf(entry), null,
                                    "an entry must have either a 'config' mapping (a model) or a 'memory' mapping (an accelerator).");
                            if (isModel)
                            {
                                var model = ModelCatalogReader.Read(merged, file);
                                model.DefinitionLine = YamlValues.LineOf(entry);
                                Put(models, modelOrder, model, m => m.Id);
                            }
                            else
                            {
                                var gpu = GpuCatalogReader.Read(merged, file);
                                gpu.DefinitionLine = YamlValues.LineOf(entry);
                                Put(gpus, gpuOrder, gpu, g => g.Id);
                            }
                            effective[id] = merged;
                        }
                        catch (EntryException e)
                        {
                            problems.Add(Problem(e.ErrorId, file, e.Line, e.Field, e.Message, entry));
                        }
                    }
                }
            }
            return new Catalog(modelOrder.Select(id => models[id]).ToList(), gpuOrder.Select(id => gpus[id]).ToList(), problems, allFiles);
        }

        /// <summary>
        /// An override: the earlier entry with the later entry's top-level fields replacing its own, so a user catalog
        /// can change only what differs (e.g. `price:` for a negotiated rate) and keep the shipped rest.
        /// </summary>
        private static YamlMappingNode Merge(YamlMappingNode earlier, YamlMappingNode later)
        {
            var merged = new YamlMappingNode();
            foreach (var pair in earlier.Children)
                if (pair.Key is YamlScalarNode k && YamlValues.Child(later, k.Value ?? "") == null) merged.Add(pair.Key, pair.Value);
            foreach (var pair in later.Children) merged.Add(pair.Key, pair.Value);
            return merged;
        }

        private static void Put<T>(Dictionary<string, T> map, List<string> order, T item, Func<T, string> id)
        {
            if (!map.ContainsKey(id(item))) order.Add(id(item));
            map[id(item)] = item;
        }

        private static IEnumerable<YamlMappingNode> ReadEntries(string file, List<CatalogProblem> problems)
        {
            var stream = new YamlStream();
            try
            {
                using var reader = new StreamReader(file, Encoding.UTF8);
                stream.Load(reader);
            }
            catch (YamlException e)
            {
                problems.Add(new CatalogProblem("MalformedYaml", file, (int)e.Start.Line, null,
                    Location(file, (int)e.Start.Line) + "the file is not valid YAML: " + e.Message + " The whole file was skipped."));
                return Array.Empty<YamlMappingNode>();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                problems.Add(new CatalogProblem("CatalogFileUnreadable", file, 0, null, Location(file, 0) + "the file cannot be read: " + e.Message));
                return Array.Empty<YamlMappingNode>();
            }
            if (stream.Documents.Count == 0) return Array.Empty<YamlMappingNode>();
            var root = stream.Documents[0].RootNode;
            if (root is YamlSequenceNode seq)
            {
                var entries = new List<YamlMappingNode>();
                foreach (var item in seq.Children)
                {
                    if (item is YamlMappingNode m) entries.Add(m);
                    else problems.Add(new CatalogProblem("InvalidCatalogEntry", file, YamlValues.LineOf(item), null,
                        Location(file, YamlValues.LineOf(item)) + "each catalog entry must be a mapping starting with '- id: ...'."));
                }
                return entries;
            }
            if (YamlValues.IsNull(root)) return Array.Empty<YamlMappingNode>();
            problems.Add(new CatalogProblem("InvalidCatalogFile", file, YamlValues.LineOf(root), null,
                Location(file, YamlValues.LineOf(root)) + "a catalog file must be a YAML list of entries ('- id: ...'); the whole file was skipped."));
            return Array.Empty<YamlMappingNode>();
        }

        private static CatalogProblem Problem(string errorId, string file, int line, string? field, string message, YamlMappingNode entry)
        {
            string? id = null;
            try { id = YamlValues.OptionalString(entry, "id"); } catch (EntryException) { }
            string where = Location(file, line) + (id != null ? "entry '" + id + "'" : "entry") + (field != null ? ", field '" + field + "'" : "") + ": ";
            return new CatalogProblem(errorId, file, line, field, where + message + (errorId == "DuplicateId" ? "" : " The entry was skipped."));
        }

        internal static string Location(string file, int line) =>
            file + (line > 0 ? ":" + line.ToString(CultureInfo.InvariantCulture) : "") + ": ";
    }
}
