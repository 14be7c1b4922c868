namespace LlmBench.Kernels.Tests.Reference;

/// <summary>
/// sample_tokens in sampling.cu: temperature ≤ 0 is greedy argmax (lowest index on ties); otherwise Gumbel-max,
/// argmax_i(logit_i / T + G_i) over the allowed tokens, which draws from softmax(logit / T) restricted to them.
/// NaN logits count as −inf.
/// </summary>
public static class SamplingReference
{
    /// <summary>The largest possible Gumbel noise: U ≤ 1 − 2^-24 gives G ≤ 16.64.</summary>
    public const double GumbelBound = 16.64;

    public static int Greedy(ReadOnlySpan<float> logits)
    {
        var best = 0;
        var bestValue = float.NegativeInfinity;
        for (var i = 0; i < logits.Length; i++)
        {
            var v = Clean(logits[i]);
            if (v > bestValue)
            {
                bestValue = v;
                best = i;
            }
        }
        return best;
    }

    /// <summary>Gumbel noise from 32 random bits, as the kernel computes it in fp32: U = (bits>>9 + ½)·2^-23.</summary>
    public static float Gumbel(uint bits)
    {
        var u = ((bits >> 9) + 0.5f) * (1.0f / 8388608.0f);
        return -MathF.Log(-MathF.Log(u));
    }

    /// <summary>
    /// The token the kernel should draw and the gap between the best and second-best score (a gap of a few fp32 ulps
    /// could go either way between MathF.Log and the GPU's logf).
    /// </summary>
    public static (int Token, double Margin) GumbelMax(ReadOnlySpan<float> logits, float temperature, ReadOnlySpan<bool> allowed, ulong seed, int step)
    {
        var invT = 1f / temperature;
        float best = float.NegativeInfinity, second = float.NegativeInfinity;
        var token = -1;
        for (var i = 0; i < logits.Length; i++)
        {
            if (!allowed[i])
                continue;
            var score = Clean(logits[i]) * invT + Gumbel(Philox.TokenBits(seed, step, i));
            if (score > best)
            {
                second = best;
                best = score;
                token = i;
            }
            else if (score > second)
            {
                second = score;
            }
        }
        return (token, (double)best - second);
    }

    /// <summary>The distribution Gumbel-max draws from: softmax(logit / T) over the allowed tokens, zero elsewhere.</summary>
    public static double[] Probabilities(ReadOnlySpan<float> logits, double temperature, ReadOnlySpan<bool> allowed)
    {
        var max = double.NegativeInfinity;
        for (var i = 0; i < logits.Length; i++)
        {
            if (allowed[i])
                max = Math.Max(max, Clean(logits[i]) / temperature);
        }
        var probabilities = new double[logits.Length];
        double sum = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            if (allowed[i])
                sum += probabilities[i] = Math.Exp(Clean(logits[i]) / temperature - max);
        }
        for (var i = 0; i < probabilities.Length; i++)
            probabilities[i] /= sum;
        return probabilities;
    }

    internal static float Clean(float logit) => float.IsNaN(logit) ? float.NegativeInfinity : logit;
}
