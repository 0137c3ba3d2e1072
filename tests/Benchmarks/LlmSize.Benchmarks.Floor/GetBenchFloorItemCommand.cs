using System.Management.Automation;

namespace LlmSize.Benchmarks.Floor
{
    /// <summary>
    /// Emits pre-built objects and does nothing else: the cheapest a binary cmdlet can be in a pipeline.
    /// Emit set (the floor of the sweep): <c>Get-BenchFloorItem -Item $results -Count 100000</c> writes Item[i mod n] Count
    /// times from one call. PassThru set (an informative second floor): <c>$inputs | Get-BenchFloorItem -Item $results</c>
    /// writes one pre-built object per pipeline input, so it also pays PowerShell's per-item parameter binding, as
    /// LlmSize's cmdlets do when they take models from the pipeline.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "BenchFloorItem", DefaultParameterSetName = Emit)]
    public sealed class GetBenchFloorItemCommand : PSCmdlet
    {
        private const string Emit = "Emit";
        private const string PassThru = "PassThru";
        private int _next;

        /// <summary>The pre-built objects to emit, cycled in order.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public object[] Item { get; set; } = new object[0];

        /// <summary>How many objects to emit (Emit set).</summary>
        [Parameter(ParameterSetName = Emit)]
        [ValidateRange(0, int.MaxValue)]
        public int Count { get; set; } = -1;

        /// <summary>Any pipeline input; each one is answered with the next pre-built object (PassThru set).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PassThru, ValueFromPipeline = true)]
        public object? InputObject { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == PassThru)
            {
                WriteObject(Next());
                return;
            }
            int count = Count < 0 ? Item.Length : Count;
            for (int i = 0; i < count; i++) WriteObject(Next());
        }

        private object Next()
        {
            object item = Item[_next];
            _next = _next + 1 == Item.Length ? 0 : _next + 1;
            return item;
        }
    }
}
