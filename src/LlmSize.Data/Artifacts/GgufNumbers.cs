namespace LlmSize.Data.Artifacts
{
    /// <summary>Conversions of boxed GGUF metadata values.</summary>
    internal static class GgufNumbers
    {
        /// <summary>Any GGUF integer type (uint8 .. int64) as a long; false for other types and for uint64 above long.MaxValue.</summary>
        public static bool TryGetInt64(object? value, out long result)
        {
            switch (value)
            {
                case byte v: result = v; return true;
                case sbyte v: result = v; return true;
                case ushort v: result = v; return true;
                case short v: result = v; return true;
                case uint v: result = v; return true;
                case int v: result = v; return true;
                case long v: result = v; return true;
                case ulong v when v <= long.MaxValue: result = (long)v; return true;
                default: result = 0; return false;
            }
        }
    }
}
