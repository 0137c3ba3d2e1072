using System;
using System.Globalization;

namespace LlmSize.Core.Units
{
    /// <summary>
    /// An amount of memory in bytes. Prints binary units (KiB, MiB, GiB, TiB = 1024^n) because that is what CUDA,
    /// PyTorch and nvidia-smi report, and also exposes decimal GB (10^9) because that is what vendors sell
    /// (DESIGN.md §4: an "80 GB" H100 reports 81559 MiB).
    /// </summary>
    public readonly struct ByteSize : IComparable<ByteSize>, IEquatable<ByteSize>, IComparable, IFormattable
    {
        public const long KiBBytes = 1024L;
        public const long MiBBytes = 1024L * 1024;
        public const long GiBBytes = 1024L * 1024 * 1024;
        public const long TiBBytes = 1024L * 1024 * 1024 * 1024;
        public const long GBBytes = 1_000_000_000L;

        public ByteSize(long bytes) { Bytes = bytes; }

        public static readonly ByteSize Zero = new ByteSize(0);

        /// <summary>Exact number of bytes.</summary>
        public long Bytes { get; }
        public double KiB => Bytes / (double)KiBBytes;
        public double MiB => Bytes / (double)MiBBytes;
        public double GiB => Bytes / (double)GiBBytes;
        public double TiB => Bytes / (double)TiBBytes;
        /// <summary>Decimal megabytes (10^6).</summary>
        public double MB => Bytes / 1e6;
        /// <summary>Decimal gigabytes (10^9), as vendors label memory.</summary>
        public double GB => Bytes / 1e9;
        /// <summary>Decimal terabytes (10^12).</summary>
        public double TB => Bytes / 1e12;

        /// <summary>Rounds an estimated (fractional) byte count to the nearest byte.</summary>
        public static ByteSize FromBytes(double bytes)
        {
            if (double.IsNaN(bytes) || double.IsInfinity(bytes) || Math.Abs(bytes) > long.MaxValue)
                throw new OverflowException("Byte count " + bytes.ToString("R", CultureInfo.InvariantCulture) + " is out of range.");
            return new ByteSize((long)Math.Round(bytes, MidpointRounding.AwayFromZero));
        }
        public static ByteSize FromKiB(double value) => FromBytes(value * KiBBytes);
        public static ByteSize FromMiB(double value) => FromBytes(value * MiBBytes);
        public static ByteSize FromGiB(double value) => FromBytes(value * GiBBytes);
        public static ByteSize FromTiB(double value) => FromBytes(value * TiBBytes);
        public static ByteSize FromGB(double value) => FromBytes(value * GBBytes);

        public static ByteSize operator +(ByteSize a, ByteSize b) => new ByteSize(checked(a.Bytes + b.Bytes));
        public static ByteSize operator -(ByteSize a, ByteSize b) => new ByteSize(checked(a.Bytes - b.Bytes));
        public static ByteSize operator -(ByteSize a) => new ByteSize(-a.Bytes);
        public static ByteSize operator *(ByteSize a, double factor) => FromBytes(a.Bytes * factor);
        public static ByteSize operator *(double factor, ByteSize a) => FromBytes(a.Bytes * factor);
        public static ByteSize operator /(ByteSize a, double divisor) => FromBytes(a.Bytes / divisor);
        public static double operator /(ByteSize a, ByteSize b) => a.Bytes / (double)b.Bytes;
        public static bool operator <(ByteSize a, ByteSize b) => a.Bytes < b.Bytes;
        public static bool operator >(ByteSize a, ByteSize b) => a.Bytes > b.Bytes;
        public static bool operator <=(ByteSize a, ByteSize b) => a.Bytes <= b.Bytes;
        public static bool operator >=(ByteSize a, ByteSize b) => a.Bytes >= b.Bytes;
        public static bool operator ==(ByteSize a, ByteSize b) => a.Bytes == b.Bytes;
        public static bool operator !=(ByteSize a, ByteSize b) => a.Bytes != b.Bytes;

        public static ByteSize Max(ByteSize a, ByteSize b) => a.Bytes >= b.Bytes ? a : b;
        public static ByteSize Min(ByteSize a, ByteSize b) => a.Bytes <= b.Bytes ? a : b;

        public int CompareTo(ByteSize other) => Bytes.CompareTo(other.Bytes);
        public int CompareTo(object? obj) => obj is ByteSize b ? CompareTo(b) : obj == null ? 1 : throw new ArgumentException("Not a ByteSize.", nameof(obj));
        public bool Equals(ByteSize other) => Bytes == other.Bytes;
        public override bool Equals(object? obj) => obj is ByteSize b && Equals(b);
        public override int GetHashCode() => Bytes.GetHashCode();

        /// <summary>Binary units with two decimals, invariant culture: "16.05 GiB", "512 B".</summary>
        public override string ToString() => ToString(null, CultureInfo.InvariantCulture);

        /// <summary>
        /// Format "G" (default) picks the largest binary unit ≥ 1; "GB" / "GiB" / "MiB" / "B" force a unit;
        /// "D" picks the largest decimal unit. A number after the letters sets decimals ("GiB1").
        /// </summary>
        public string ToString(string? format, IFormatProvider? provider)
        {
            provider ??= CultureInfo.InvariantCulture;
            format = string.IsNullOrEmpty(format) ? "G" : format!;
            int digits = 2;
            int i = format.Length;
            while (i > 0 && char.IsDigit(format[i - 1])) i--;
            if (i < format.Length) digits = int.Parse(format.Substring(i), CultureInfo.InvariantCulture);
            string unit = format.Substring(0, i);
            string n = "F" + digits.ToString(CultureInfo.InvariantCulture);
            double abs = Math.Abs((double)Bytes);
            switch (unit.ToUpperInvariant())
            {
                case "G":
                    if (abs >= TiBBytes) return TiB.ToString(n, provider) + " TiB";
                    if (abs >= GiBBytes) return GiB.ToString(n, provider) + " GiB";
                    if (abs >= MiBBytes) return MiB.ToString(n, provider) + " MiB";
                    if (abs >= KiBBytes) return KiB.ToString(n, provider) + " KiB";
                    return Bytes.ToString(provider) + " B";
                case "D":
                    if (abs >= 1e12) return TB.ToString(n, provider) + " TB";
                    if (abs >= 1e9) return GB.ToString(n, provider) + " GB";
                    if (abs >= 1e6) return MB.ToString(n, provider) + " MB";
                    return Bytes.ToString(provider) + " B";
                case "TIB": return TiB.ToString(n, provider) + " TiB";
                case "GIB": return GiB.ToString(n, provider) + " GiB";
                case "MIB": return MiB.ToString(n, provider) + " MiB";
                case "KIB": return KiB.ToString(n, provider) + " KiB";
                case "TB": return TB.ToString(n, provider) + " TB";
                case "GB": return GB.ToString(n, provider) + " GB";
                case "MB": return MB.ToString(n, provider) + " MB";
                case "B": return Bytes.ToString(provider) + " B";
                default: throw new FormatException("Unknown ByteSize format '" + format + "'. Valid: G, D, B, KiB, MiB, GiB, TiB, MB, GB, TB, optionally followed by a digit count.");
            }
        }

        /// <summary>Parses "80GB", "24GiB", "512 MiB", "1.5TB", "123456" (bytes). See <see cref="Quantity"/>.</summary>
        public static ByteSize Parse(string text) => Quantity.ParseBytes(text);
    }
}
