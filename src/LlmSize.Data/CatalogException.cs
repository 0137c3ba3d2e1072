using System;
using System.Text;

namespace LlmSize.Data
{
    /// <summary>
    /// A model or hardware definition (catalog YAML entry, config.json) that cannot be used. Carries the file, the
    /// 1-based line (0 when unknown), the offending field and a stable <see cref="ErrorId"/> so cmdlets can turn it
    /// into an ErrorRecord with a FullyQualifiedErrorId that scripts can match.
    /// </summary>
    public sealed class CatalogException : Exception
    {
        /// <summary>A value has the wrong type, is negative, or is out of range.</summary>
        public const string InvalidModelField = "InvalidModelField";
        /// <summary>A field the model type needs is absent (or null).</summary>
        public const string MissingModelField = "MissingModelField";
        /// <summary>The model_type is not one this reader knows how to map.</summary>
        public const string UnsupportedModelType = "UnsupportedModelType";
        /// <summary>Fields are each valid but cannot hold together (heads not divisible by kv heads ...).</summary>
        public const string ContradictoryModelFields = "ContradictoryModelFields";
        /// <summary>The text is not valid JSON/YAML, or its top level is not a mapping.</summary>
        public const string InvalidModelFile = "InvalidModelFile";

        public CatalogException(string errorId, string file, int line, string field, string problem, string? valid,
            Exception? inner = null)
            : base(Format(file, line, field, problem, valid), inner)
        {
            ErrorId = errorId ?? throw new ArgumentNullException(nameof(errorId));
            File = file ?? "";
            Line = line < 0 ? 0 : line;
            Field = field ?? "";
            Problem = problem ?? "";
            Valid = valid;
        }

        /// <summary>Stable id: InvalidModelField, MissingModelField, UnsupportedModelType, ContradictoryModelFields,
        /// InvalidModelFile.</summary>
        public string ErrorId { get; }
        /// <summary>The file (or a description such as "catalog models.yaml entry llama-3-8b") that was read.</summary>
        public string File { get; }
        /// <summary>1-based line of the offending value, or of the enclosing mapping when a field is missing; 0 if unknown.</summary>
        public int Line { get; }
        /// <summary>The field name (several, comma-separated, when more than one is missing).</summary>
        public string Field { get; }
        /// <summary>What is wrong, without location.</summary>
        public string Problem { get; }
        /// <summary>What would be valid, when that can be said.</summary>
        public string? Valid { get; }

        private static string Format(string file, int line, string field, string problem, string? valid)
        {
            var text = new StringBuilder();
            text.Append(string.IsNullOrEmpty(file) ? "<unknown file>" : file);
            if (line > 0) text.Append(", line ").Append(line.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!string.IsNullOrEmpty(field)) text.Append(", field '").Append(field).Append('\'');
            text.Append(": ").Append(problem);
            if (!string.IsNullOrEmpty(valid)) text.Append(" Valid: ").Append(valid);
            return text.ToString();
        }
    }
}
