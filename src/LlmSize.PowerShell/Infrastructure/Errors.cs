using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LlmSize.Core.Catalog;

namespace LlmSize.PowerShell.Infrastructure
{
    /// <summary>The exception carried by LlmSize ErrorRecords: a message for people, no stack trace shown.</summary>
    public sealed class LlmSizeException : Exception
    {
        public LlmSizeException(string message) : base(message) { }
    }

    /// <summary>One documented error the module can raise (about_LlmSize lists them all).</summary>
    public sealed class ErrorDefinition
    {
        public ErrorDefinition(string id, ErrorCategory category, string meaning, string recommendedAction)
        {
            Id = id; Category = category; Meaning = meaning; RecommendedAction = recommendedAction;
        }
        public string Id { get; }
        public ErrorCategory Category { get; }
        public string Meaning { get; }
        public string RecommendedAction { get; }
    }

    /// <summary>Every ErrorId the module raises, with its category and recommended action. Stable: scripts match on them.</summary>
    public static class ErrorIds
    {
        private static readonly Dictionary<string, ErrorDefinition> s_all = new[]
        {
            D("ModelNotFound", ErrorCategory.ObjectNotFound, "No catalog model has this id, name, alias or Hugging Face id.", "Run Get-LlmModel to list models, use tab completion, or add the model to a user catalog."),
            D("AmbiguousModelName", ErrorCategory.InvalidArgument, "The name matches several catalog models.", "Use one of the listed ids."),
            D("GpuNotFound", ErrorCategory.ObjectNotFound, "No catalog accelerator has this id, name or alias.", "Run Get-Gpu to list accelerators, use tab completion, or add one to a user catalog."),
            D("AmbiguousGpuName", ErrorCategory.InvalidArgument, "The name matches several catalog accelerators.", "Use one of the listed ids."),
            D("PrecisionNotFound", ErrorCategory.ObjectNotFound, "No data type has this name.", "Run Get-LlmPrecision to list data types."),
            D("CatalogPathNotFound", ErrorCategory.ObjectNotFound, "A -Path given to a catalog cmdlet does not exist.", "Check the path; folders are searched for *.yaml and *.yml files."),
            D("MalformedYaml", ErrorCategory.ParserError, "A catalog file is not valid YAML; the whole file was skipped.", "Fix the YAML at the line shown."),
            D("CatalogFileUnreadable", ErrorCategory.ReadError, "A catalog file could not be read.", "Check the file's permissions."),
            D("InvalidCatalogFile", ErrorCategory.InvalidData, "A catalog file is not a YAML list of entries.", "Make the file a list: each entry starts with '- id: ...'."),
            D("InvalidCatalogEntry", ErrorCategory.InvalidData, "A list item in a catalog file is not a mapping.", "Write each entry as '- id: ...' followed by its fields."),
            D("UnknownEntryKind", ErrorCategory.InvalidData, "A catalog entry has neither 'config' (model) nor 'memory' (accelerator).", "Add the mapping that says what the entry is (module/schemas/catalog.md)."),
            D("MissingField", ErrorCategory.InvalidData, "A required field of a catalog entry is missing.", "Add the field named in the message (module/schemas/catalog.md)."),
            D("MissingSource", ErrorCategory.InvalidData, "A catalog number has no source.", "Add the public URL or paper the number comes from."),
            D("InvalidFieldType", ErrorCategory.InvalidData, "A catalog field has the wrong shape (text, list or mapping).", "Use the shape named in the message."),
            D("InvalidFieldValue", ErrorCategory.InvalidData, "A catalog value is negative, zero, not a number, or not one of the allowed values.", "Use a value as described in the message; '.' is the decimal separator."),
            D("DuplicateId", ErrorCategory.InvalidData, "Two entries of one catalog layer share an id; the first is kept.", "Rename or remove one of them. To override a shipped entry, put yours in a user catalog."),
            D("MissingModelField", ErrorCategory.InvalidData, "A model config lacks a field its family needs.", "Add the field named in the message."),
            D("InvalidModelField", ErrorCategory.InvalidData, "A model config field has an invalid value.", "Correct the value as described in the message."),
            D("UnsupportedModelType", ErrorCategory.NotImplemented, "The config's model_type is not a supported family.", "Use one of the listed families, or describe the model with a supported model_type."),
            D("ContradictoryModelFields", ErrorCategory.InvalidData, "Config fields contradict each other (for example attention heads not divisible by key/value heads).", "Correct the config."),
            D("NotAnEstimate", ErrorCategory.InvalidType, "An object piped to Out-LlmChart has no memory breakdown.", "Pipe estimates from Get-LlmInferenceMemory, Get-LlmTrainingMemory or Test-GpuFit."),
            D("TrainingTokensRequired", ErrorCategory.InvalidArgument, "Training speed or cost was asked without the number of training tokens.", "Give -TrainingTokens, e.g. '1T' or 15e12."),
            D("InvalidThroughputParameter", ErrorCategory.InvalidArgument, "An efficiency, MFU, PUE, utilization or price is out of range.", "Efficiencies, MFU and utilization are in (0, 1]; PUE is at least 1; prices are not negative."),
            D("InvalidGpuMemory", ErrorCategory.InvalidArgument, "-GpuMemory is zero or negative.", "Give the device's memory as sold, e.g. '64GB'."),
            D("InvalidTrainingParameter", ErrorCategory.InvalidArgument, "A training or checkpoint parameter is out of range (batch, sequence length, parallel degrees, LoRA rank ...).", "Use the range named in the message."),
            D("InvalidContextLength", ErrorCategory.InvalidArgument, "The context length is zero or negative.", "Give a positive number of tokens (4096, 8k, 32k)."),
            D("InvalidBatchSize", ErrorCategory.InvalidArgument, "The batch size is zero or negative.", "Give a positive batch size."),
            D("InvalidTensorParallel", ErrorCategory.InvalidArgument, "The tensor-parallel degree is invalid or does not divide the attention heads.", "Use a degree that divides the model's attention heads."),
            D("InvalidMemoryUtilization", ErrorCategory.InvalidArgument, "-GpuMemoryUtilization is outside (0, 1].", "Give a fraction such as 0.9."),
            D("InvalidOverride", ErrorCategory.InvalidArgument, "An override (overhead, activations) is negative.", "Give a non-negative size."),
            D("InvalidModel", ErrorCategory.InvalidData, "The model lacks fields the estimate needs (layers, heads, hidden size).", "Complete the model's config."),
            D("UnsupportedWeightPrecision", ErrorCategory.InvalidArgument, "The engine does not support this weight precision.", "Use one of the precisions the message lists, or another -Engine."),
            D("UnsupportedKvCachePrecision", ErrorCategory.InvalidArgument, "The engine does not support this KV-cache precision.", "Use one of the KV-cache precisions the message lists."),
            D("InvalidModelFile", ErrorCategory.ParserError, "A config.json is not valid JSON or not an object.", "Check the file is a Hugging Face config.json."),
            D("ModelFileNotFound", ErrorCategory.ObjectNotFound, "Import-LlmModel found no file, or no config.json / weight file at the path.", "Give a config.json, a model folder, a .safetensors file or index, a .gguf file or a Hugging Face cache folder."),
            D("UnsupportedModelFile", ErrorCategory.InvalidArgument, "The path is not a kind of file Import-LlmModel reads, or a folder holds several candidates.", "Name one config.json, .safetensors, index or .gguf file."),
            D("ModelFileUnreadable", ErrorCategory.ReadError, "A model file could not be read.", "Check the file's permissions."),
            D("TruncatedFile", ErrorCategory.InvalidData, "A weight file ends before its header says it should.", "Download the file again."),
            D("HeaderTooLarge", ErrorCategory.InvalidData, "A safetensors header length exceeds 100 MB (the format's cap) or the file size.", "The file is corrupt or not a safetensors file."),
            D("ElementCountOverflow", ErrorCategory.InvalidData, "A tensor shape's element count overflows 64 bits.", "The header is corrupt."),
            D("UnknownGgufValueType", ErrorCategory.InvalidData, "A GGUF metadata value has an unknown type.", "The file is corrupt or from a newer GGUF version."),
            D("UnknownGgmlType", ErrorCategory.InvalidData, "A GGUF tensor has an unknown ggml type id.", "The file uses a quantization type LlmSize does not know yet."),
            D("LengthBeyondFile", ErrorCategory.InvalidData, "A GGUF string or array length runs past the end of the file.", "The file is corrupt or truncated."),
            D("InvalidTensorOffsets", ErrorCategory.InvalidData, "Tensor data offsets overlap, leave gaps or point outside the file.", "The file is corrupt."),
            D("InvalidTensorShape", ErrorCategory.InvalidData, "A tensor shape is not a whole number of blocks or bytes, or has too many dimensions.", "The file is corrupt."),
            D("UnsupportedGgufVersion", ErrorCategory.NotImplemented, "The GGUF version is 1 or the file is big-endian.", "Convert the file with a current llama.cpp."),
            D("NotAGgufFile", ErrorCategory.InvalidData, "The file does not start with the GGUF magic.", "Give a .gguf file."),
            D("InvalidGgufHeader", ErrorCategory.InvalidData, "The GGUF header is inconsistent (duplicate keys, bad alignment, bad UTF-8).", "The file is corrupt."),
            D("InvalidSafetensorsHeader", ErrorCategory.InvalidData, "The safetensors JSON header is malformed.", "The file is corrupt or not a safetensors file."),
            D("InvalidShardIndex", ErrorCategory.InvalidData, "model.safetensors.index.json is malformed or names missing shards or tensors.", "Download the checkpoint again."),
            D("InvalidMetadataValue", ErrorCategory.InvalidData, "A metadata value in a weight file has the wrong type.", "The file is corrupt."),
        }.ToDictionary(d => d.Id, StringComparer.Ordinal);

        private static ErrorDefinition D(string id, ErrorCategory c, string meaning, string action) => new ErrorDefinition(id, c, meaning, action);

        public static IReadOnlyCollection<ErrorDefinition> All => s_all.Values;

        public static ErrorDefinition Get(string id) =>
            s_all.TryGetValue(id, out var d) ? d : throw new InvalidOperationException("Undocumented ErrorId '" + id + "': add it to ErrorIds.");

        /// <summary>Builds an ErrorRecord whose id, category and recommended action come from the table above.</summary>
        public static ErrorRecord Record(string id, string message, object? target)
        {
            var d = Get(id);
            var record = new ErrorRecord(new LlmSizeException(message), id, d.Category, target);
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = d.RecommendedAction };
            return record;
        }

        public static ErrorRecord Record(CatalogProblem p) => Record(p.ErrorId, p.Message, p.File);

        /// <summary>The first line of an exception message: ArgumentException appends "(Parameter 'x')" on a new line.</summary>
        public static string FirstLine(string message)
        {
            int i = message.IndexOf(Environment.NewLine, StringComparison.Ordinal);
            return i < 0 ? message : message.Substring(0, i);
        }
    }
}
