using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using LlmSize.Core.Units;
using LlmSize.Data.Catalog;

namespace LlmSize.PowerShell.Infrastructure
{
    /// <summary>Shared completion logic: prefix match on ids first, then on any name; quotes values with spaces.</summary>
    internal static class CompletionHelper
    {
        public static IEnumerable<CompletionResult> Complete(string word, IEnumerable<(string value, IEnumerable<string> names, string tooltip)> items)
        {
            string typed = (word ?? "").Trim('\'', '"');
            var pattern = new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            var list = items.ToList();
            var byId = list.Where(i => pattern.IsMatch(i.value));
            var byName = list.Where(i => !pattern.IsMatch(i.value) && i.names.Any(n => pattern.IsMatch(n) || Catalog.NormalizeName(n).StartsWith(Catalog.NormalizeName(typed), StringComparison.Ordinal)));
            foreach (var i in byId.Concat(byName))
            {
                string text = i.value.IndexOfAny(new[] { ' ', '\'', '"', '(', ')', ',', ';' }) >= 0 ? "'" + i.value.Replace("'", "''") + "'" : i.value;
                yield return new CompletionResult(text, i.value, CompletionResultType.ParameterValue, i.tooltip);
            }
        }
    }

    /// <summary>Completes model ids from the catalog, with parameters and architecture as tooltip.</summary>
    public sealed class ModelNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionHelper.Complete(wordToComplete, ModuleContext.DefaultCatalog().Models.Select(m =>
                (m.Id, Catalog.NamesOf(m), string.Format(CultureInfo.InvariantCulture, "{0}: {1:0.##} B parameters, {2}, {3} layers", m.Name, m.Parameters / 1e9, m.ModelType, m.Layers))));
    }

    /// <summary>Completes accelerator ids from the catalog, with memory and vendor as tooltip.</summary>
    public sealed class GpuNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionHelper.Complete(wordToComplete, ModuleContext.DefaultCatalog().Gpus.Select(g =>
                (g.Id, Catalog.NamesOf(g), string.Format(CultureInfo.InvariantCulture, "{0} {1}: {2:0.#} GB {3}", g.Vendor, g.Name, g.Memory.GB, g.MemoryType))));
    }

    /// <summary>Completes data-type names (fp16, int4, Q4_K_M ...), with bits per value as tooltip.</summary>
    public sealed class PrecisionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionHelper.Complete(wordToComplete, DataTypes.All.Select(t =>
                (t.Name, (IEnumerable<string>)t.Aliases, string.Format(CultureInfo.InvariantCulture, "{0:0.###} bits per value: {1}", t.BitsPerValue, t.Description))));
    }
}
