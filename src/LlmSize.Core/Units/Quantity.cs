using System;
using System.Globalization;

namespace LlmSize.Core.Units
{
    /// <summary>The kind of quantity a string is parsed as; the kind decides what a suffix means.</summary>
    public enum QuantityKind { Parameters, Bytes, Tokens }

    /// <summary>
    /// Culture-invariant parsing of the quantities people type: parameters ("7B", "1.5T", "125M", "70e9"),
    /// bytes ("80GB" = 80·10^9, "24GiB" = 24·2^30, "512MiB") and tokens ("8k" = 8192, "128k" = 131072: context lengths
    /// are powers of two, so k = 1024 for tokens). A '.' is always the decimal separator, whatever the culture.
    /// </summary>
    public static class Quantity
    {
        public static double ParseParameters(string text)
        {
            var (number, suffix) = Split(text, QuantityKind.Parameters);
            double factor;
            switch (suffix.ToUpperInvariant())
            {
                case "": factor = 1; break;
                case "K": factor = 1e3; break;
                case "M": factor = 1e6; break;
                case "B": case "G": factor = 1e9; break;
                case "T": factor = 1e12; break;
                default: throw Invalid(text, QuantityKind.Parameters, "unknown suffix '" + suffix + "'");
            }
            return CheckNonNegative(number * factor, text, QuantityKind.Parameters);
        }

        public static ByteSize ParseBytes(string text)
        {
            var (number, suffix) = Split(text, QuantityKind.Bytes);
            double factor;
            switch (suffix.ToUpperInvariant())
            {
                case "": case "B": factor = 1; break;
                case "KB": factor = 1e3; break;
                case "MB": factor = 1e6; break;
                case "GB": factor = 1e9; break;
                case "TB": factor = 1e12; break;
                case "KIB": factor = ByteSize.KiBBytes; break;
                case "MIB": factor = ByteSize.MiBBytes; break;
                case "GIB": factor = ByteSize.GiBBytes; break;
                case "TIB": factor = ByteSize.TiBBytes; break;
                default: throw Invalid(text, QuantityKind.Bytes, "unknown unit '" + suffix + "'");
            }
            return ByteSize.FromBytes(CheckNonNegative(number * factor, text, QuantityKind.Bytes));
        }

        public static long ParseTokens(string text)
        {
            var (number, suffix) = Split(text, QuantityKind.Tokens);
            double factor;
            switch (suffix.ToUpperInvariant())
            {
                case "": factor = 1; break;
                case "K": factor = 1024; break;
                case "M": factor = 1024 * 1024; break;
                default: throw Invalid(text, QuantityKind.Tokens, "unknown suffix '" + suffix + "'");
            }
            double value = CheckNonNegative(number * factor, text, QuantityKind.Tokens);
            if (value != Math.Floor(value) || value > long.MaxValue)
                throw Invalid(text, QuantityKind.Tokens, "a token count must be a whole number");
            return (long)value;
        }

        /// <summary>Parses a quantity of the given kind; bytes come back as a byte count.</summary>
        public static double Parse(string text, QuantityKind kind) => kind switch
        {
            QuantityKind.Parameters => ParseParameters(text),
            QuantityKind.Bytes => ParseBytes(text).Bytes,
            _ => ParseTokens(text),
        };

        public static bool TryParse(string text, QuantityKind kind, out double value)
        {
            try { value = Parse(text, kind); return true; }
            catch (FormatException) { value = 0; return false; }
        }

        /// <summary>What a valid quantity of this kind looks like, for error messages.</summary>
        public static string Examples(QuantityKind kind) => kind switch
        {
            QuantityKind.Parameters => "a number with an optional suffix K, M, B or T (decimal): 7B, 1.5T, 125M, 70e9",
            QuantityKind.Bytes => "a number with a unit B, KB, MB, GB, TB (10^n) or KiB, MiB, GiB, TiB (2^n): 80GB, 24GiB, 512MiB",
            _ => "a whole number with an optional suffix k (1024) or M (1024^2): 4096, 8k, 128k",
        };

        private static (double number, string suffix) Split(string text, QuantityKind kind)
        {
            if (text == null) throw Invalid("", kind, "no value");
            string s = text.Trim().Replace("_", "");
            int end = 0;
            // Number part: digits, one '.', exponent (e9, e+9). Stop at the first letter that is not an exponent.
            while (end < s.Length)
            {
                char c = s[end];
                if (char.IsDigit(c) || c == '.' || c == '+' || c == '-') { end++; continue; }
                if ((c == 'e' || c == 'E') && end > 0 && end + 1 < s.Length && (char.IsDigit(s[end + 1]) || s[end + 1] == '+' || s[end + 1] == '-')) { end++; continue; }
                break;
            }
            string numberText = s.Substring(0, end);
            string suffix = s.Substring(end).Trim();
            if (numberText.Length == 0
                || !double.TryParse(numberText, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
                || double.IsNaN(number) || double.IsInfinity(number))
                throw Invalid(text, kind, "it does not start with a number");
            return (number, suffix);
        }

        private static double CheckNonNegative(double value, string text, QuantityKind kind)
        {
            if (value < 0) throw Invalid(text, kind, "it is negative");
            if (double.IsInfinity(value)) throw Invalid(text, kind, "it is too large");
            return value;
        }

        private static FormatException Invalid(string text, QuantityKind kind, string why) =>
            new FormatException(string.Format(CultureInfo.InvariantCulture,
                "'{0}' is not a valid {1} quantity: {2}. Expected {3}.", text, kind.ToString().ToLowerInvariant(), why, Examples(kind)));
    }
}
