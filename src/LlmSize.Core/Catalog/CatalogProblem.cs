namespace LlmSize.Core.Catalog
{
    /// <summary>
    /// A problem found while reading a catalog or artifact file: one bad entry is reported and skipped, the rest
    /// still load. ErrorId is stable (documented in about_LlmSize) so scripts can match on it.
    /// </summary>
    public sealed class CatalogProblem
    {
        public CatalogProblem(string errorId, string file, int line, string? field, string message, bool isWarning = false)
        {
            ErrorId = errorId; File = file; Line = line; Field = field; Message = message; IsWarning = isWarning;
        }

        public string ErrorId { get; }
        public string File { get; }
        /// <summary>1-based line, 0 when unknown.</summary>
        public int Line { get; }
        public string? Field { get; }
        public string Message { get; }
        public bool IsWarning { get; }

        public override string ToString() => Message;
    }
}
