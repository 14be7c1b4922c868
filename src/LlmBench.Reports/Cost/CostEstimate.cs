namespace LlmBench.Reports.Cost;

/// <summary>
/// What a throughput costs at an hourly price: $ per 1M output tokens = price per hour / (tok/s × 3600) × 10⁶,
/// output tokens per dollar, tok/s per $/hour, and, given J per output token and a $/kWh price, the electricity
/// per 1M output tokens (J/token × 10⁶ / 3.6×10⁶ × $/kWh).
/// </summary>
public sealed record CostEstimate(
    double OutputTokensPerSecond,
    double PricePerHour,
    double DollarsPerMillionOutputTokens,
    double OutputTokensPerDollar,
    double TokensPerSecondPerDollarHour,
    double? EnergyDollarsPerMillionOutputTokens)
{
    public const double JoulesPerKilowattHour = 3.6e6;

    public static CostEstimate Compute(double outputTokensPerSecond, double pricePerHour, double? joulesPerOutputToken = null, double? kwhPrice = null)
    {
        if (!(outputTokensPerSecond > 0))
            throw new ArgumentException($"a cost needs a positive output tok/s (got {outputTokensPerSecond}).");
        if (!(pricePerHour > 0))
            throw new ArgumentException($"a cost needs a positive price per hour (got {pricePerHour}).");
        var tokensPerHour = outputTokensPerSecond * 3600;
        return new CostEstimate(
            outputTokensPerSecond,
            pricePerHour,
            pricePerHour / tokensPerHour * 1e6,
            tokensPerHour / pricePerHour,
            outputTokensPerSecond / pricePerHour,
            EnergyDollarsPerMillion(joulesPerOutputToken, kwhPrice));
    }

    public static double? EnergyDollarsPerMillion(double? joulesPerOutputToken, double? kwhPrice) =>
        joulesPerOutputToken is { } j && kwhPrice is { } k ? j * 1e6 / JoulesPerKilowattHour * k : null;
}
