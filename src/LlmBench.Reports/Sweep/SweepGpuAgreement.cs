using System.Globalization;

namespace LlmBench.Reports.Sweep;

/// <summary>
/// `sweep --gpus` over the whole sweep: how many of the points that every GPU measured had the GPUs agree within ±5 %
/// (each point's own <see cref="Offline.GpuAgreement"/>), and which card was the slow one where they did not. A card
/// slow only at large batches points at its compute clocks or power cap; one slow everywhere at its memory or link.
/// </summary>
public sealed record SweepGpuAgreement(int Gpus, int PointsCompared, IReadOnlyList<SweepPoint> Disagreeing, double TolerancePercent)
{
    /// <summary>Null when no point has per-GPU figures (one device, or an older file).</summary>
    public static SweepGpuAgreement? Of(IReadOnlyList<SweepPoint> points)
    {
        var compared = points.Where(p => p.Agreement is not null).ToArray();
        if (compared.Length == 0)
            return null;
        var first = compared[0].Agreement!;
        return new SweepGpuAgreement(first.Devices.Count, compared.Length, compared.Where(p => !p.Agreement!.Agree).ToArray(), first.TolerancePercent);
    }

    public bool Agree => Disagreeing.Count == 0;

    /// <summary>Each slow card and at how many points it was the slow one, most often first.</summary>
    public IReadOnlyList<(string Device, int Points)> SlowCards =>
        Disagreeing.Select(p => p.Agreement!.Devices[p.Agreement.SlowIndex!.Value])
            .GroupBy(d => d).Select(g => (g.Key, g.Count())).OrderByDescending(x => x.Item2).ThenBy(x => x.Key, StringComparer.Ordinal).ToArray();

    /// <summary>"2 GPUs agree within ±5 % at all 6 points measured on every GPU." or names the slow card(s).</summary>
    public string Summary()
    {
        if (Agree)
            return string.Create(CultureInfo.InvariantCulture, $"{Gpus} GPUs agree within ±{TolerancePercent:0.#} % at {(PointsCompared == 1 ? "the one point" : $"all {PointsCompared} points")} measured on every GPU.");
        var cards = string.Join(", ", SlowCards.Select(c => $"{c.Device} (at {c.Points})"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{Gpus} GPUs do NOT agree within ±{TolerancePercent:0.#} % at {Disagreeing.Count} of {PointsCompared} points measured on every GPU; slow card{(SlowCards.Count > 1 ? "s" : "")}: {cards}.");
    }
}
