using System.Globalization;

namespace LlmBench.Reports.Offline;

/// <summary>
/// Whether GPUs measured at once on the same workload (`--gpus`) agree: each GPU's output tok/s against their mean, all
/// within ±<see cref="TolerancePercent"/>; otherwise the slowest GPU is named. Identical cards that disagree point at one
/// card (its clocks, cooling, power cap or PCIe link), not at the workload.
/// </summary>
/// <param name="Devices">Each GPU as its result names it ("cuda:1 NVIDIA H100 80GB HBM3").</param>
/// <param name="DeviationsPercent">Each GPU's output tok/s relative to the mean, in percent (−7.5: 7.5 % below).</param>
public sealed record GpuAgreement(double TolerancePercent, IReadOnlyList<string> Devices, IReadOnlyList<double> DeviationsPercent)
{
    public const double DefaultTolerancePercent = 5;

    public bool Agree => DeviationsPercent.All(d => Math.Abs(d) <= TolerancePercent);

    /// <summary>The index of the slowest GPU when they disagree; null when they agree.</summary>
    public int? SlowIndex => Agree ? null : DeviationsPercent.Select((d, i) => (d, i)).MinBy(x => x.d).i;

    /// <param name="outputTokensPerSecond">Each GPU's rate, in the order of <paramref name="devices"/>.</param>
    public static GpuAgreement From(IReadOnlyList<string> devices, IReadOnlyList<double> outputTokensPerSecond, double tolerancePercent = DefaultTolerancePercent)
    {
        if (devices.Count != outputTokensPerSecond.Count || devices.Count < 2)
            throw new ArgumentException("GPU agreement needs one rate per GPU and at least two GPUs.", nameof(outputTokensPerSecond));
        var mean = outputTokensPerSecond.Average();
        var deviations = outputTokensPerSecond.Select(r => mean > 0 ? (r - mean) / mean * 100 : 0).ToArray();
        return new GpuAgreement(tolerancePercent, devices, deviations);
    }

    /// <summary>One sentence: "4 GPUs agree within ±5 % (output tok/s: −1.2 % to +0.9 % of their mean)." or names the slow card.</summary>
    public string Summary()
    {
        var range = string.Create(CultureInfo.InvariantCulture, $"{DeviationsPercent.Min():+0.0;-0.0;0.0} % to {DeviationsPercent.Max():+0.0;-0.0;0.0} % of their mean");
        if (SlowIndex is not { } slow)
            return string.Create(CultureInfo.InvariantCulture, $"{Devices.Count} GPUs agree within ±{TolerancePercent:0.#} % (output tok/s: {range}).");
        return string.Create(CultureInfo.InvariantCulture,
            $"{Devices.Count} GPUs do NOT agree within ±{TolerancePercent:0.#} % (output tok/s: {range}); slow card: {Devices[slow]} at {DeviationsPercent[slow]:+0.0;-0.0} %.");
    }
}
