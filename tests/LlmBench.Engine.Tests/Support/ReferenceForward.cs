using LlmBench.Engine.Models;

namespace LlmBench.Engine.Tests.Support;

/// <summary>
/// A textbook dense forward pass in double precision, written from the transformers modeling code without any of
/// the engine's machinery (no paging, no batching, no fusion, no SIMD): the independent reference the CPU
/// executor is checked against on random weights.
/// </summary>
internal static class ReferenceForward
{
    /// <summary>Logits at the last position of <paramref name="tokens"/>.</summary>
    public static double[] LastLogits(ModelConfig m, RandomTensorSource w, int[] tokens)
    {
        int n = tokens.Length, hd = m.HeadDim, nh = m.NumAttentionHeads, nkv = m.NumKeyValueHeads;
        var x = tokens.Select(t => Row(w.Values("model.embed_tokens.weight"), t, m.HiddenSize)).ToArray();
        var invFreq = InverseFrequencies(m);
        for (int layer = 0; layer < m.NumHiddenLayers; layer++)
        {
            string p = $"model.layers.{layer}.";
            var xn = x.Select(r => RmsNorm(r, w.Values($"{p}input_layernorm.weight"), m.RmsNormEps)).ToArray();
            var q = xn.Select(r => Linear(r, w, $"{p}self_attn.q_proj", m.AttentionBias)).ToArray();
            var k = xn.Select(r => Linear(r, w, $"{p}self_attn.k_proj", m.AttentionBias)).ToArray();
            var v = xn.Select(r => Linear(r, w, $"{p}self_attn.v_proj", m.AttentionBias)).ToArray();
            for (int t = 0; t < n; t++)
            {
                for (int h = 0; h < nh; h++)
                    HeadOps(q[t], h, hd, t, invFreq, m.QkNorm ? w.Values($"{p}self_attn.q_norm.weight") : null, m.RmsNormEps);
                for (int h = 0; h < nkv; h++)
                    HeadOps(k[t], h, hd, t, invFreq, m.QkNorm ? w.Values($"{p}self_attn.k_norm.weight") : null, m.RmsNormEps);
            }
            var attn = new double[n][];
            for (int t = 0; t < n; t++)
            {
                attn[t] = new double[nh * hd];
                for (int h = 0; h < nh; h++)
                {
                    int kvh = h / (nh / nkv);
                    var scores = new double[t + 1];
                    for (int j = 0; j <= t; j++)
                    {
                        double dot = 0;
                        for (int d = 0; d < hd; d++)
                            dot += q[t][h * hd + d] * k[j][kvh * hd + d];
                        scores[j] = dot / Math.Sqrt(hd);
                    }
                    double max = scores.Max();
                    var e = scores.Select(s => Math.Exp(s - max)).ToArray();
                    double sum = e.Sum();
                    for (int j = 0; j <= t; j++)
                        for (int d = 0; d < hd; d++)
                            attn[t][h * hd + d] += e[j] / sum * v[j][kvh * hd + d];
                }
            }
            for (int t = 0; t < n; t++)
            {
                Add(x[t], Linear(attn[t], w, $"{p}self_attn.o_proj", false));
                var h2 = RmsNorm(x[t], w.Values($"{p}post_attention_layernorm.weight"), m.RmsNormEps);
                var gate = Linear(h2, w, $"{p}mlp.gate_proj", false);
                var up = Linear(h2, w, $"{p}mlp.up_proj", false);
                var act = gate.Select((g, i) => g / (1 + Math.Exp(-g)) * up[i]).ToArray();
                Add(x[t], Linear(act, w, $"{p}mlp.down_proj", false));
            }
        }
        var final = RmsNorm(x[n - 1], w.Values("model.norm.weight"), m.RmsNormEps);
        return Multiply(w.Values(m.TieWordEmbeddings ? "model.embed_tokens.weight" : "lm_head.weight"), final, m.VocabSize);
    }

    /// <summary>transformers' default inverse frequencies, with the "llama3" rule when configured.</summary>
    public static double[] InverseFrequencies(ModelConfig m)
    {
        var inv = Enumerable.Range(0, m.HeadDim / 2).Select(i => 1.0 / Math.Pow(m.RopeTheta, 2.0 * i / m.HeadDim)).ToArray();
        if (m.RopeScaling is not { } s)
            return inv;
        double lowWavelen = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
        double highWavelen = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
        return inv.Select(f =>
        {
            double wavelen = 2 * Math.PI / f;
            double scaled = wavelen > lowWavelen ? f / s.Factor : f;
            bool medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
            double smooth = (s.OriginalMaxPositionEmbeddings / wavelen - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
            return medium ? (1 - smooth) * scaled / s.Factor + smooth * scaled : scaled;
        }).ToArray();
    }

    private static void HeadOps(double[] row, int head, int hd, int pos, double[] invFreq, float[]? norm, double eps)
    {
        var x = row.AsSpan(head * hd, hd);
        if (norm is not null)
            RmsNorm(x.ToArray(), norm, eps).CopyTo(x);
        var rotated = new double[hd];
        for (int i = 0; i < hd; i++)
        {
            // x * cos + rotate_half(x) * sin, rotate_half(x) = [-x2, x1]
            double angle = pos * invFreq[i % (hd / 2)];
            double partner = i < hd / 2 ? -x[i + hd / 2] : x[i - hd / 2];
            rotated[i] = x[i] * Math.Cos(angle) + partner * Math.Sin(angle);
        }
        rotated.CopyTo(x);
    }

    private static double[] Row(float[] matrix, int row, int width) =>
        matrix.AsSpan(row * width, width).ToArray().Select(v => (double)v).ToArray();

    private static double[] RmsNorm(double[] x, float[] weight, double eps)
    {
        double scale = 1 / Math.Sqrt(x.Sum(v => v * v) / x.Length + eps);
        return x.Select((v, i) => v * scale * weight[i]).ToArray();
    }

    private static double[] Linear(double[] x, RandomTensorSource w, string prefix, bool bias)
    {
        var weight = w.Values(prefix + ".weight");
        var y = Multiply(weight, x, weight.Length / x.Length);
        if (bias)
        {
            var b = w.Values(prefix + ".bias");
            for (int i = 0; i < y.Length; i++)
                y[i] += b[i];
        }
        return y;
    }

    private static double[] Multiply(float[] weight, double[] x, int rows)
    {
        var y = new double[rows];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < x.Length; c++)
                y[r] += weight[r * x.Length + c] * x[c];
        return y;
    }

    private static void Add(double[] x, double[] delta)
    {
        for (int i = 0; i < x.Length; i++)
            x[i] += delta[i];
    }
}
