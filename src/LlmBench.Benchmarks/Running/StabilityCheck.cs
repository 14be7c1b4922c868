using System.Globalization;
using LlmBench.Reports.Offline;

namespace LlmBench.Benchmarks.Running;

/// <summary>
/// Splits the measurement window into whole slices of <see cref="ClosedLoopOptions.StabilityWindowSeconds"/> (a
/// trailing partial slice is left out of the check, not out of the score) and decides whether the run is valid.
/// </summary>
public static class StabilityCheck
{
    /// <summary>Unstable slices named one by one in the verdict; the rest are counted (a short --window can make hundreds).</summary>
    public const int MaxListedSlices = 5;

    public static IReadOnlyList<WindowRate> Windows(ClosedLoopMeasurement m, double windowSeconds)
    {
        int count = windowSeconds > 0 ? (int)Math.Floor((m.WindowSeconds + 1e-9) / windowSeconds) : 0;
        var tokens = new long[count];
        foreach (var step in m.WindowSteps)
        {
            // A step's tokens belong to the slice its end falls in; a step ending exactly on a boundary closes the earlier slice.
            int index = (int)Math.Ceiling((step.TimeSeconds - m.WindowStartSeconds) / windowSeconds) - 1;
            if (index >= 0 && index < count)
                tokens[index] += step.OutputTokens;
        }

        var rates = tokens.Select(t => t / windowSeconds).ToArray();
        double mean = rates.Length > 0 ? rates.Average() : 0;
        return rates.Select((rate, i) => new WindowRate(
            i, i * windowSeconds, (i + 1) * windowSeconds, tokens[i], rate, mean > 0 ? (rate - mean) / mean : 0)).ToArray();
    }

    public static StabilityVerdict Judge(ClosedLoopMeasurement m, IReadOnlyList<WindowRate> windows, ClosedLoopOptions options, IReadOnlyList<string> throttleNotes)
    {
        var reasons = new List<string>();
        if (m.Cancelled)
            reasons.Add("stopped early (Ctrl-C or a stop signal): the results are incomplete");
        if (m.Error is not null)
            reasons.Add($"the engine failed: {m.Error}");
        if (m.OutputTokens == 0)
            reasons.Add("no output tokens were generated in the measurement window");
        if (windows.Count < 2)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"the {m.WindowSeconds:0.#} s window holds fewer than two {options.StabilityWindowSeconds:0.#} s slices, so its stability cannot be checked; run longer (--duration)"));
        }

        var unstable = windows.Where(w => Math.Abs(w.DeviationFromMean) > options.StabilityTolerance).ToArray();
        foreach (var w in unstable.Take(MaxListedSlices))
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"slice {w.Index + 1} ({w.StartSeconds:0.#}–{w.EndSeconds:0.#} s) ran at {w.OutputTokensPerSecond:0.#} tok/s, {w.DeviationFromMean * 100:+0.0;-0.0} % from the mean (limit ±{options.StabilityTolerance * 100:0.#} %)"));
        }

        if (unstable.Length > MaxListedSlices)
            reasons.Add($"and {unstable.Length - MaxListedSlices} more slices outside ±{options.StabilityTolerance * 100:0.#} % (all slices are in the result's windows)");

        var notes = new List<string> { string.Create(CultureInfo.InvariantCulture, $"warm-up of {m.WarmupSeconds:0.#} s excluded") };
        notes.AddRange(throttleNotes);
        return new StabilityVerdict(reasons.Count == 0, reasons, notes, options.StabilityWindowSeconds, options.StabilityTolerance);
    }
}
