namespace LlmBench.LoadGen.Arrivals;

/// <summary>
/// --ramp-up-strategy linear|exponential with --ramp-up-start-rps and --ramp-up-end-rps, as vLLM defines them: request i
/// of N is paced at a rate moved by progress p = i / max(N − 1, 1) from start to end, start + (end − start)·p (linear) or
/// start·(end / start)^p (exponential).
/// </summary>
public sealed record RampUp(string Strategy, double StartRps, double EndRps)
{
    public static readonly IReadOnlyList<string> Strategies = ["linear", "exponential"];

    public double RateAt(int index, int count)
    {
        var progress = index / (double)Math.Max(count - 1, 1);
        return Strategy == "linear"
            ? StartRps + (EndRps - StartRps) * progress
            : StartRps * Math.Pow(EndRps / StartRps, progress);
    }

    /// <summary>vLLM's checks, each one sentence; a start of 0 is refused too (vLLM's first request would have no rate).</summary>
    public void Validate()
    {
        if (!Strategies.Contains(Strategy))
            throw new ArgumentException($"--ramp-up-strategy must be linear or exponential, got '{Strategy}'.");
        if (!(StartRps > 0) || !(EndRps > 0) || double.IsInfinity(EndRps))
            throw new ArgumentException($"--ramp-up-start-rps and --ramp-up-end-rps must be positive numbers, got {StartRps} and {EndRps}.");
        if (StartRps > EndRps)
            throw new ArgumentException($"--ramp-up-start-rps ({StartRps}) must not exceed --ramp-up-end-rps ({EndRps}).");
    }
}
