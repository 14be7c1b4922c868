namespace LlmBench.Reports.Cost;

/// <summary>
/// One cloud list price: an instance type with <paramref name="GpuCount"/> GPUs at an on-demand price per hour, read
/// on <paramref name="AsOf"/>. <see cref="PerGpuHour"/> is what a result's cost uses, times the GPUs it ran on.
/// </summary>
/// <param name="Key">What --gpu matches (case-insensitive), e.g. "h100" or "aws-p5".</param>
public sealed record GpuPrice(string Key, string Gpu, string Provider, string InstanceType, int GpuCount, double OnDemandPerHour, string AsOf, bool Approximate, string? Note = null)
{
    public double PerGpuHour => OnDemandPerHour / GpuCount;

    public string Describe() =>
        $"{Provider} {InstanceType} ({GpuCount}× {Gpu}) {(Approximate ? "≈ " : "")}${OnDemandPerHour:0.##}/h on demand as of {AsOf}" +
        (GpuCount > 1 ? $", ${PerGpuHour:0.##} per GPU-hour" : "");
}
