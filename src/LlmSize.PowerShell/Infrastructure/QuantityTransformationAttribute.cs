using System;
using System.Globalization;
using System.Management.Automation;
using LlmSize.Core.Units;

namespace LlmSize.PowerShell.Infrastructure
{
    /// <summary>
    /// Accepts quantities as people type them wherever a parameter count, byte size or token count is asked:
    /// "7B", "70e9", "80GB", "24GiB", "32k", or plain numbers. Parsing is culture-invariant (Quantity in Core).
    /// Returns double (parameters), ByteSize (bytes) or long (tokens).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class QuantityTransformationAttribute : ArgumentTransformationAttribute
    {
        public QuantityTransformationAttribute(QuantityKind kind) { Kind = kind; }

        public QuantityKind Kind { get; }

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object? value = inputData is PSObject ps ? ps.BaseObject : inputData;
            if (value is object[] array)
            {
                var result = new object[array.Length];
                for (int i = 0; i < array.Length; i++) result[i] = Transform(engineIntrinsics, array[i]);
                return result;
            }
            try
            {
                switch (value)
                {
                    case null: return null!;
                    case ByteSize b when Kind == QuantityKind.Bytes: return b;
                    case string s: return FromText(s);
                    case IConvertible c when IsNumber(c):
                        double d = c.ToDouble(CultureInfo.InvariantCulture);
                        return FromNumber(d, c.ToString(CultureInfo.InvariantCulture));
                    default: return FromText(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                }
            }
            catch (FormatException e)
            {
                throw new ArgumentTransformationMetadataException(e.Message, e);
            }
        }

        private object FromText(string s) => Kind switch
        {
            QuantityKind.Parameters => Quantity.ParseParameters(s),
            QuantityKind.Bytes => Quantity.ParseBytes(s),
            _ => Quantity.ParseTokens(s),
        };

        private object FromNumber(double d, string shown)
        {
            if (d < 0 || double.IsNaN(d) || double.IsInfinity(d))
                throw new FormatException("'" + shown + "' is not a valid " + Kind.ToString().ToLowerInvariant() + " quantity: it must not be negative. Expected " + Quantity.Examples(Kind) + ".");
            return Kind switch
            {
                QuantityKind.Parameters => d,
                QuantityKind.Bytes => ByteSize.FromBytes(d),
                _ => d == Math.Floor(d) ? (object)(long)d : throw new FormatException("'" + shown + "' is not a whole number of tokens. Expected " + Quantity.Examples(Kind) + "."),
            };
        }

        private static bool IsNumber(IConvertible c) => c.GetTypeCode() switch
        {
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
                or TypeCode.Int64 or TypeCode.UInt64 or TypeCode.Single or TypeCode.Double or TypeCode.Decimal => true,
            _ => false,
        };
    }
}
