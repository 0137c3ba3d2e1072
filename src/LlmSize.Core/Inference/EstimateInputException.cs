using System;
using System.Collections.Generic;

namespace LlmSize.Core.Inference
{
    /// <summary>
    /// An estimate input that cannot be used. <see cref="ErrorId"/> is stable (cmdlets use it as the ErrorRecord id);
    /// <see cref="Supported"/> lists the accepted values when the problem is an unsupported choice.
    /// </summary>
    public sealed class EstimateInputException : ArgumentException
    {
        public const string InvalidContextLength = "InvalidContextLength";
        public const string InvalidBatchSize = "InvalidBatchSize";
        public const string InvalidTensorParallel = "InvalidTensorParallel";
        public const string InvalidMemoryUtilization = "InvalidMemoryUtilization";
        public const string InvalidOverride = "InvalidOverride";
        public const string InvalidModel = "InvalidModel";
        public const string UnsupportedWeightPrecision = "UnsupportedWeightPrecision";
        public const string UnsupportedKvCachePrecision = "UnsupportedKvCachePrecision";

        public EstimateInputException(string errorId, string parameterName, string message, IReadOnlyList<string>? supported = null)
            : base(message, parameterName)
        {
            ErrorId = errorId;
            Supported = supported ?? Array.Empty<string>();
        }

        public string ErrorId { get; }
        public IReadOnlyList<string> Supported { get; }
    }
}
