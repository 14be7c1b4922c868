using System.Globalization;

namespace LlmBench.Reports.Cost;

/// <summary>
/// One cloud list price: an instance type with <paramref name="GpuCount"/> GPUs at an on-demand price per hour, as
/// <paramref name="Source"/> gave it on <paramref name="AsOf"/>. <see cref="PerGpuHour"/> is what a result's cost uses,
/// times the GPUs it ran on.
/// </summary>
/// <param name="Key">What --gpu matches (case-insensitive), e.g. "h100" or "lambda-h100".</param>
/// <param name="Source">Where the price was read: a URL for the built-in entries, the file for the user's own.</param>
public sealed record GpuPrice(string Key, string Gpu, string Provider, string InstanceType, int GpuCount, double OnDemandPerHour, string AsOf, string Source)
{
    /// <summary>The region the price is for, where the source says.</summary>
    public string? Region { get; init; }

    /// <summary>What the source says and how the figure was taken from it.</summary>
    public string? SourceNote { get; init; }

    public double PerGpuHour => OnDemandPerHour / GpuCount;

    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{Provider} {InstanceType} ({GpuCount}× {Gpu}) ${OnDemandPerHour:0.####}/h on demand") +
        (Region is null ? "" : $" in {Region}") + $", as of {AsOf}" +
        (GpuCount > 1 ? string.Create(CultureInfo.InvariantCulture, $", ${PerGpuHour:0.####} per GPU-hour") : "");
}
