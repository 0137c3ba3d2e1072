using LlmSize.Core.Throughput;

namespace LlmSize.Core.Cost
{
    /// <summary>Defaults of the cost formulas; each is an input the caller may override.</summary>
    public static class CostDefaults
    {
        /// <summary>365 · 24 / 12 = 730 hours in an average month.</summary>
        public const double HoursPerMonth = 365.0 * 24 / 12;

        /// <summary>
        /// 0.1545 USD/kWh: US residential average revenue per kWh, January 2024 (EIA Electricity Monthly Update, "End Use",
        /// https://www.eia.gov/electricity/monthly/update/end-use.php: 15.45 ¢/kWh). Dated: pass your own tariff.
        /// </summary>
        public const double ElectricityUsdPerKWh = 0.1545;

        /// <summary>
        /// 36 months to write a purchase off. An engineering choice, not a tax rule: the catalog's datacenter generations
        /// launched 2017 (V100), 2020 (A100), 2022 (H100), 2024 (B200), so a card bought today is one and a half
        /// generations old after three years. Pass your own depreciation period.
        /// </summary>
        public const double AmortizationMonths = 36;

        /// <summary>Share of hours the hardware works: 1 = round the clock (a serving deployment).</summary>
        public const double Utilization = 1;
    }

    /// <summary>What an hour of use of bought hardware costs: amortized purchase + electricity.</summary>
    public sealed class LocalHourlyCost
    {
        internal LocalHourlyCost(double amortizationPerCalendarHour, double utilization, double? powerPerHour)
        {
            AmortizationUsdPerCalendarHour = amortizationPerCalendarHour;
            AmortizationUsdPerHour = amortizationPerCalendarHour / utilization;
            PowerUsdPerHour = powerPerHour;
            UsdPerHour = AmortizationUsdPerHour + (powerPerHour ?? 0);
        }
        /// <summary>Purchase ÷ (months · 730): what owning costs per hour of the calendar.</summary>
        public double AmortizationUsdPerCalendarHour { get; }
        /// <summary>Amortization per hour of use: per calendar hour ÷ utilization (idle hours are paid by the working ones).</summary>
        public double AmortizationUsdPerHour { get; }
        /// <summary>Electricity per hour of use: kW · USD/kWh · PUE; null when the power draw is unknown.</summary>
        public double? PowerUsdPerHour { get; }
        /// <summary>Per hour of use: amortization + electricity (electricity left out when unknown: see <see cref="IncludesPower"/>).</summary>
        public double UsdPerHour { get; }
        public bool IncludesPower => PowerUsdPerHour.HasValue;
    }

    /// <summary>Buying vs renting (DESIGN.md §9): break-even months = purchase / (monthly cloud spend − monthly power cost).</summary>
    public sealed class BreakEven
    {
        internal BreakEven(double purchase, double monthlyCloud, double monthlyPower)
        {
            PurchaseUsd = purchase;
            MonthlyCloudUsd = monthlyCloud;
            MonthlyPowerUsd = monthlyPower;
            MonthlySavingsUsd = monthlyCloud - monthlyPower;
            Months = MonthlySavingsUsd > 0 ? purchase / MonthlySavingsUsd : (double?)null;
        }
        public double PurchaseUsd { get; }
        /// <summary>Cloud price per hour · 730 · utilization.</summary>
        public double MonthlyCloudUsd { get; }
        /// <summary>kW · 730 · utilization · USD/kWh · PUE.</summary>
        public double MonthlyPowerUsd { get; }
        public double MonthlySavingsUsd { get; }
        /// <summary>Months until buying has cost less than renting; null when renting is never dearer than the electricity alone.</summary>
        public double? Months { get; }
        public bool PaysOff => Months.HasValue;
    }

    /// <summary>Cost formulas. Prices are USD; power is W; every amount is for the whole configuration unless named per GPU.</summary>
    public static class DeploymentCost
    {
        /// <summary>Renting: GPUs × price per GPU-hour.</summary>
        public static double CloudUsdPerHour(double usdPerGpuHour, int gpus)
        {
            Guard.NonNegative(usdPerGpuHour, nameof(usdPerGpuHour));
            Guard.AtLeast(gpus, 1, nameof(gpus));
            return gpus * usdPerGpuHour;
        }

        /// <summary>
        /// Owning, per hour of use: purchase / (months · 730) / utilization + power/1000 · USD/kWh · PUE.
        /// <paramref name="powerWatts"/> null (unknown) leaves electricity out, which <see cref="LocalHourlyCost.IncludesPower"/> reports.
        /// </summary>
        public static LocalHourlyCost LocalUsdPerHour(double purchaseUsd, double? powerWatts,
            double electricityUsdPerKWh = CostDefaults.ElectricityUsdPerKWh, double amortizationMonths = CostDefaults.AmortizationMonths,
            double utilization = CostDefaults.Utilization, double pue = 1)
        {
            Guard.NonNegative(purchaseUsd, nameof(purchaseUsd));
            Guard.NonNegative(electricityUsdPerKWh, nameof(electricityUsdPerKWh));
            Guard.Positive(amortizationMonths, nameof(amortizationMonths));
            Guard.Fraction(utilization, nameof(utilization));
            Guard.Pue(pue, nameof(pue));
            double? power = null;
            if (powerWatts is double w) power = Guard.NonNegative(w, nameof(powerWatts)) / 1000 * electricityUsdPerKWh * pue;
            return new LocalHourlyCost(purchaseUsd / (amortizationMonths * CostDefaults.HoursPerMonth), utilization, power);
        }

        /// <summary>USD per hour ÷ (tokens per second · 3600) · 10^6.</summary>
        public static double UsdPerMillionTokens(double usdPerHour, double tokensPerSecond)
        {
            Guard.NonNegative(usdPerHour, nameof(usdPerHour));
            Guard.Positive(tokensPerSecond, nameof(tokensPerSecond));
            return usdPerHour / (tokensPerSecond * 3600) * 1e6;
        }

        /// <summary>
        /// Months after which buying (<paramref name="purchaseUsd"/>, then paying <paramref name="powerWatts"/> of electricity)
        /// has cost less than renting the same hardware at <paramref name="cloudUsdPerHour"/>, both used
        /// <paramref name="utilization"/> of the time: purchase / (cloud · 730 · u − kW · 730 · u · USD/kWh · PUE).
        /// </summary>
        public static BreakEven BreakEvenMonths(double purchaseUsd, double cloudUsdPerHour, double powerWatts,
            double electricityUsdPerKWh = CostDefaults.ElectricityUsdPerKWh, double utilization = CostDefaults.Utilization, double pue = 1)
        {
            Guard.NonNegative(purchaseUsd, nameof(purchaseUsd));
            Guard.NonNegative(cloudUsdPerHour, nameof(cloudUsdPerHour));
            Guard.NonNegative(powerWatts, nameof(powerWatts));
            Guard.NonNegative(electricityUsdPerKWh, nameof(electricityUsdPerKWh));
            Guard.Fraction(utilization, nameof(utilization));
            Guard.Pue(pue, nameof(pue));
            double hours = CostDefaults.HoursPerMonth * utilization;
            return new BreakEven(purchaseUsd, cloudUsdPerHour * hours, powerWatts / 1000 * hours * electricityUsdPerKWh * pue);
        }
    }
}
