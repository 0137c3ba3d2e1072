using System;
using System.Globalization;

namespace LlmSize.Core.Throughput
{
    /// <summary>
    /// Input checks shared by the throughput and cost formulas. Every failure is an
    /// <see cref="ArgumentOutOfRangeException"/> that names the parameter and its valid range, so a cmdlet can turn it
    /// into an error record as it is.
    /// </summary>
    internal static class Guard
    {
        private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        /// <summary>An efficiency or utilization: 0 &lt; value ≤ 1.</summary>
        public static double Fraction(double value, string name)
        {
            if (double.IsNaN(value) || value <= 0 || value > 1)
                throw new ArgumentOutOfRangeException(name, value,
                    name + " must be greater than 0 and at most 1 (a fraction: 0.4 means 40%); got " + Show(value) + ".");
            return value;
        }

        public static double Positive(double value, string name)
        {
            if (double.IsNaN(value) || double.IsInfinity(value) || value <= 0)
                throw new ArgumentOutOfRangeException(name, value, name + " must be a finite number greater than 0; got " + Show(value) + ".");
            return value;
        }

        /// <summary>Prices, byte counts, token counts: 0 ≤ value &lt; ∞.</summary>
        public static double NonNegative(double value, string name)
        {
            if (double.IsNaN(value) || double.IsInfinity(value) || value < 0)
                throw new ArgumentOutOfRangeException(name, value, name + " must be a finite number of 0 or more; got " + Show(value) + ".");
            return value;
        }

        public static int AtLeast(int value, int minimum, string name)
        {
            if (value < minimum)
                throw new ArgumentOutOfRangeException(name, value,
                    name + " must be at least " + minimum.ToString(CultureInfo.InvariantCulture) + "; got " + value.ToString(CultureInfo.InvariantCulture) + ".");
            return value;
        }

        /// <summary>Power usage effectiveness: facility power / IT power, 1 or more (1 = no cooling overhead).</summary>
        public static double Pue(double value, string name)
        {
            if (double.IsNaN(value) || double.IsInfinity(value) || value < 1)
                throw new ArgumentOutOfRangeException(name, value,
                    name + " (power usage effectiveness) must be 1 or more (1.0 = no facility overhead; data centers report about 1.1-1.6); got " + Show(value) + ".");
            return value;
        }

        public static T NotNull<T>(T? value, string name) where T : class =>
            value ?? throw new ArgumentNullException(name);
    }
}
