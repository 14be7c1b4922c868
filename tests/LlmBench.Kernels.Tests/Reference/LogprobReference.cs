namespace LlmBench.Kernels.Tests.Reference;

/// <summary>
/// logprobs.cu in double precision: a row's log-normalizer log Σ exp(logits) and its k most likely tokens (higher
/// logit first, lower id on ties) with logit − normalizer. NaN counts as −∞; −∞ logits are ordinary candidates.
/// </summary>
public static class LogprobReference
{
    public sealed record Row(double LogNormalizer, int[] TopIds, double[] TopLogprobs);

    public static Row Measure(ReadOnlySpan<float> logits, int k)
    {
        var values = new double[logits.Length];
        for (var i = 0; i < values.Length; i++)
            values[i] = float.IsNaN(logits[i]) ? double.NegativeInfinity : logits[i];
        var max = values.Max();
        var sum = values.Sum(v => double.IsNegativeInfinity(v) ? 0.0 : Math.Exp(v - max));
        var lse = max + Math.Log(sum);
        k = Math.Clamp(k, 0, Math.Min(LogprobKernel.MaxTop, values.Length));
        var ids = Enumerable.Range(0, values.Length).OrderByDescending(i => values[i]).ThenBy(i => i).Take(k).ToArray();
        return new Row(lse, ids, [.. ids.Select(i => values[i] - lse)]);
    }
}
