using LlmSize.Core.Models;
using LlmSize.Core.Parameters;
using YamlDotNet.RepresentationModel;
using static LlmSize.Data.Catalog.YamlValues;

namespace LlmSize.Data.Catalog
{
    /// <summary>
    /// Maps one model entry of the model catalog (schema: module/schemas/catalog.md) to a <see cref="ModelSpec"/>.
    /// The entry's <c>config:</c> block holds the Hugging Face config.json fields verbatim, so catalog entries and
    /// downloaded configs go through the same <see cref="HfConfigReader"/>.
    /// </summary>
    internal static class ModelCatalogReader
    {
        public static ModelSpec Read(YamlMappingNode entry, string file)
        {
            string id = GpuCatalogReader.ReadId(entry);
            string name = RequiredString(entry, "name", "display name");
            string source = RequiredString(entry, "source", "public URL of the config.json or paper the architecture comes from");
            var config = OptionalMap(entry, "config")
                ?? throw new EntryException("MissingField", LineOf(entry), "config", "the required mapping 'config' (the Hugging Face config.json fields) is missing.");

            ModelArchitecture arch;
            try { arch = HfConfigReader.Read(config, file); }
            catch (CatalogException e)
            {
                throw new EntryException(e.ErrorId, e.Line, "config." + e.Field, e.Problem + (e.Valid != null ? " Valid: " + e.Valid : ""));
            }

            var counted = ParameterCounter.Count(arch);
            long? parameters = OptionalInteger(entry, "parameters");
            string? parametersSource = OptionalString(entry, "parameters_source");
            if (parameters.HasValue && string.IsNullOrWhiteSpace(parametersSource))
                throw new EntryException("MissingSource", LineOf(Child(entry, "parameters")!), "parameters_source",
                    "'parameters' is given without 'parameters_source': name the public URL that publishes the exact count, or drop 'parameters' to use the architecture count.");

            return new ModelSpec(id, name, arch)
            {
                Family = OptionalString(entry, "family") ?? arch.ModelType,
                HuggingFaceId = OptionalString(entry, "hf_id"),
                Aliases = StringList(entry, "aliases"),
                Parameters = parameters ?? counted.Total,
                ParametersSource = parameters.HasValue ? parametersSource : "architecture",
                ActiveParameters = arch.IsMoe ? counted.Active : parameters ?? counted.Total,
                Source = source,
                License = OptionalString(entry, "license"),
                DefinitionFile = file,
                DefinitionLine = LineOf(entry),
            };
        }
    }
}
