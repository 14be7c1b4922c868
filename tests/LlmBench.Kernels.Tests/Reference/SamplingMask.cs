namespace LlmBench.Kernels.Tests.Reference;

/// <summary>
/// The tokens sample_tokens may draw. top-k (0 &lt; k &lt; vocab): logits ≥ the k-th largest, ties all kept.
/// top-p (0 &lt; p &lt; 1), after top-k: the largest logits whose softmax(logit / T) mass, renormalized over the top-k
/// set, first reaches p; ties at the threshold all kept. <see cref="TopPMargin"/> is how far (in mass) the
/// cumulative sums around the threshold are from p: near zero, fp32 rounding on the GPU may pick the neighbour.
/// </summary>
public sealed record SamplingMask(bool[] Allowed, double TopPMargin)
{
    public int Count => Allowed.Count(a => a);

    public static SamplingMask Create(ReadOnlySpan<float> logits, double temperature, int topK, double topP)
    {
        var values = new float[logits.Length];
        for (var i = 0; i < values.Length; i++)
            values[i] = SamplingReference.Clean(logits[i]);
        var allowed = new bool[values.Length];
        Array.Fill(allowed, true);
        var sorted = values.OrderByDescending(v => v).ToArray();
        if (topK > 0 && topK < values.Length)
        {
            var kth = sorted[topK - 1];
            for (var i = 0; i < values.Length; i++)
                allowed[i] = values[i] >= kth;
        }
        var margin = double.PositiveInfinity;
        if (topP > 0 && topP < 1)
        {
            var candidates = sorted.Where((v, i) => topK <= 0 || topK >= values.Length || v >= sorted[topK - 1]).ToArray();
            var max = candidates[0];
            var total = candidates.Sum(v => Math.Exp((v - (double)max) / temperature));
            double cumulative = 0;
            var threshold = candidates[^1];
            for (var i = 0; i < candidates.Length;)
            {
                var j = i;
                double group = 0;
                while (j < candidates.Length && candidates[j] == candidates[i])
                    group += Math.Exp((candidates[j++] - (double)max) / temperature);
                var before = cumulative;
                cumulative += group;
                if (cumulative >= topP * total)
                {
                    threshold = candidates[i];
                    margin = Math.Min(topP - before / total, cumulative / total - topP);
                    break;
                }
                i = j;
            }
            for (var i = 0; i < values.Length; i++)
                allowed[i] &= values[i] >= threshold;
        }
        return new SamplingMask(allowed, margin);
    }
}
