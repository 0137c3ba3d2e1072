using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LlmSize.Data.Catalog;

namespace LlmSize.PowerShell.Infrastructure
{
    /// <summary>
    /// Matches user-typed names against catalog entries: wildcards filter over every name an entry answers to (no match
    /// is not an error, as with Get-ChildItem); a plain name must resolve to exactly one entry, else a non-terminating
    /// error names the problem (not found, with suggestions; or ambiguous, with the candidates).
    /// </summary>
    internal static class NameMatcher
    {
        public static IEnumerable<T> Match<T>(PSCmdlet cmdlet, string name, IEnumerable<T> items, Func<T, IEnumerable<string>> names,
            Func<string, Resolution<T>> resolve, Func<T, string> id, string notFoundId, string ambiguousId, string what, string listCommand) where T : class
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
                return Wildcards.Filter(items, new[] { name }, i => names(i));
            var r = resolve(name);
            if (r.Match != null) return new[] { r.Match };
            if (r.IsAmbiguous)
            {
                cmdlet.WriteError(ErrorIds.Record(ambiguousId,
                    "'" + name + "' matches several " + what + "s: " + string.Join(", ", r.Candidates.Select(id)) + ". Use one of these ids.", name));
                return Array.Empty<T>();
            }
            var suggestions = Suggest(name, items, names, id);
            cmdlet.WriteError(ErrorIds.Record(notFoundId,
                "No " + what + " named '" + name + "' is in the catalog." + (suggestions.Count > 0 ? " Did you mean: " + string.Join(", ", suggestions) + "?" : "") +
                " Run " + listCommand + " to see them all.", name));
            return Array.Empty<T>();
        }

        /// <summary>Up to five ids whose names contain the typed text or are a small edit away from it.</summary>
        private static List<string> Suggest<T>(string name, IEnumerable<T> items, Func<T, IEnumerable<string>> names, Func<T, string> id)
        {
            string key = Catalog.NormalizeName(name);
            if (key.Length == 0) return new List<string>();
            return items
                .Select(i => (id: id(i), score: names(i).Select(n => Score(key, Catalog.NormalizeName(n))).Min()))
                .Where(x => x.score <= Math.Max(2, key.Length / 3))
                .OrderBy(x => x.score).ThenBy(x => x.id, StringComparer.Ordinal)
                .Take(5).Select(x => x.id).ToList();
        }

        private static int Score(string typed, string candidate)
        {
            if (candidate.Contains(typed) || typed.Contains(candidate)) return 0;
            return Levenshtein(typed, candidate);
        }

        private static int Levenshtein(string a, string b)
        {
            var prev = new int[b.Length + 1];
            var cur = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++) prev[j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                cur[0] = i;
                for (int j = 1; j <= b.Length; j++)
                    cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                (prev, cur) = (cur, prev);
            }
            return prev[b.Length];
        }
    }
}
