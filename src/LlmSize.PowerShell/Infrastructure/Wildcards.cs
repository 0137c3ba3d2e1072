using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace LlmSize.PowerShell.Infrastructure
{
    /// <summary>Case-insensitive, culture-invariant wildcard filters for -Name / -Family style parameters.</summary>
    internal static class Wildcards
    {
        public static WildcardPattern Pattern(string text) =>
            new WildcardPattern(text, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);

        /// <summary>Items for which any of the patterns matches any of the item's values.</summary>
        public static IEnumerable<T> Filter<T>(IEnumerable<T> items, string[] patterns, System.Func<T, IEnumerable<string?>> values)
        {
            var compiled = patterns.Select(Pattern).ToList();
            return items.Where(i => values(i).Any(v => v != null && compiled.Any(p => p.IsMatch(v))));
        }
    }
}
