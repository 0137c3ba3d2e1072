using LlmSize.Core.Cost;
using LlmSize.Core.Hardware;
using LlmSize.Core.Inference;
using LlmSize.Core.Tests.Inference;
using LlmSize.Core.Training;
using LlmSize.Core.Units;
using Xunit;

namespace LlmSize.Core.Tests.Cost
{
    public class PlannerAndComparisonTests
    {
        private static GpuSpec Card(double purchase, double cloudPerHour, double watts) =>
            new GpuSpec("test-card", "Test card", "Test", GpuCategory.Datacenter, ByteSize.FromGB(80))
            {
                PowerWatts = watts,
                PurchasePrices = new[] { new PricePoint(purchase, "list", "2026-01", "https://example.org/p") },
                CloudPrices = new[] { new PricePoint(cloudPerHour, "on-demand per GPU-hour", "2026-01", "https://example.org/c", "Cloud") },
            };

        [Fact]
        public void BreakEvenOfEightGpusAtHalfUtilization()
        {
            // 8 × 30,000 USD = 240,000; rent 8 × 2.69 = 21.52 USD/h. At utilization 0.5 a month has 730 · 0.5 = 365 working hours:
            // cloud 21.52 · 365 = 7,854.80 USD; power 8 · 0.7 kW · 365 h · 0.1545 USD/kWh = 315.798 USD; savings 7,539.002 USD.
            // Break-even 240,000 / 7,539.002 = 31.834 months, inside the 36-month amortization: buying is cheaper.
            var c = DeploymentComparison.Compare(Card(30000, 2.69, 700), 8, new ComparisonOptions { Utilization = 0.5, ElectricityUsdPerKWh = 0.1545 });
            Assert.Equal(21.52, c.CloudUsdPerHour!.Value, 9);
            Assert.Equal(240000, c.PurchaseUsd!.Value, 9);
            Assert.Equal(31.834, c.BreakEvenMonths!.Value, 3);
            Assert.Equal(Acquisition.Buy, c.Cheaper);
            Assert.Equal(DeploymentClass.LocalServer, c.OwnedDeployment);
        }

        [Fact]
        public void OverridesReplaceCatalogPricesAndMissingPricesAreSaid()
        {
            var c = DeploymentComparison.Compare(Card(30000, 2.69, 700), 1, new ComparisonOptions { CloudUsdPerGpuHour = 1.0, PurchaseUsdPerGpu = 100000 });
            // Utilization 1: 730 h; cloud 730 USD; power 0.7 · 730 · 0.1545 = 78.9495 USD; savings 651.0505; 100,000 / 651.0505 = 153.6 months.
            Assert.Equal(153.598, c.BreakEvenMonths!.Value, 3);
            Assert.Equal(Acquisition.Rent, c.Cheaper);

            var unknown = new GpuSpec("no-price", "No price", "Test", GpuCategory.Consumer, ByteSize.FromGB(24));
            var u = DeploymentComparison.Compare(unknown, 1, new ComparisonOptions());
            Assert.Null(u.BreakEven);
            Assert.Contains("cloud price", u.Note);
        }

        [Fact]
        public void MoeWorkloadReadsOnlyTheActiveShareOfTheWeights()
        {
            var e = InferenceEstimator.Estimate(new InferenceRequest(TestCatalog.Model("mixtral-8x7b"), DataTypes.Bf16, 4096));
            var w = HardwarePlanner.Workload(e, outputTokens: 128);
            // Mixtral 8x7B: 12,879,925,248 active of 46,702,792,704 parameters → 27.58% of the weight bytes per token.
            Assert.Equal(e.Weights.Bytes * (12879925248.0 / 46702792704.0), w.ActiveWeightBytes, 0);
            Assert.Equal(4096 - 128, w.PromptTokens);
            Assert.Equal(12879925248L, w.ActiveParameters);
        }

        [Fact]
        public void PerGpuMemoryIsReEstimatedForEachGpuCount()
        {
            var request = new InferenceRequest(TestCatalog.Model("llama-3.1-70b"), DataTypes.Bf16, 8192);
            var e = InferenceEstimator.Estimate(request);
            var two = request.Clone();
            two.TensorParallel = 2;
            Assert.Equal(InferenceEstimator.Estimate(two).PerGpu, HardwarePlanner.InferencePerGpu(e, 2));
            // 64 heads cannot be split over 3 GPUs.
            Assert.Equal(HardwarePlanner.Impossible, HardwarePlanner.InferencePerGpu(e, 3));

            var t = TrainingEstimator.Estimate(new TrainingRequest(TestCatalog.Model("llama-3.1-8b")) { ZeroStage = 3, DataParallel = 8 });
            var atSixteen = TrainingEstimator.Estimate(new TrainingRequest(TestCatalog.Model("llama-3.1-8b")) { ZeroStage = 3, DataParallel = 16 });
            Assert.Equal(atSixteen.PerGpu, HardwarePlanner.TrainingPerGpu(t, 16));
        }
    }
}
