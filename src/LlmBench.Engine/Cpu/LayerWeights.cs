using LlmBench.Engine.Models;

namespace LlmBench.Engine.Cpu;

/// <summary>One decoder layer's weights, with q/k/v and gate/up fused so each is one pass over the batch.</summary>
internal sealed class LayerWeights
{
    public required float[] InputNorm { get; init; }

    /// <summary>Rows: q (heads × head_dim), then k, then v (kv heads × head_dim each).</summary>
    public required WeightMatrix Qkv { get; init; }

    /// <summary>Qwen2/2.5 q/k/v bias, fused like <see cref="Qkv"/>; null for Qwen3 and Llama.</summary>
    public float[]? QkvBias { get; init; }

    /// <summary>Qwen3 per-head RMSNorm weights (head_dim each); null for Qwen2 and Llama.</summary>
    public float[]? QNorm { get; init; }
    public float[]? KNorm { get; init; }

    public required WeightMatrix O { get; init; }
    public required float[] PostAttentionNorm { get; init; }

    /// <summary>Rows: gate (intermediate), then up (intermediate).</summary>
    public required WeightMatrix GateUp { get; init; }
    public required WeightMatrix Down { get; init; }

    public long SizeBytes => Qkv.SizeBytes + O.SizeBytes + GateUp.SizeBytes + Down.SizeBytes;

    internal static LayerWeights Load(WeightLoader load, ModelConfig model, int layer)
    {
        string p = $"model.layers.{layer}.";
        int hidden = model.HiddenSize, q = model.QSize, kv = model.KvSize, inter = model.IntermediateSize;
        return new LayerWeights
        {
            InputNorm = load.Vector(($"{p}input_layernorm.weight", hidden)),
            Qkv = load.Matrix(hidden, ($"{p}self_attn.q_proj.weight", q), ($"{p}self_attn.k_proj.weight", kv), ($"{p}self_attn.v_proj.weight", kv)),
            QkvBias = model.AttentionBias
                ? load.Vector(($"{p}self_attn.q_proj.bias", q), ($"{p}self_attn.k_proj.bias", kv), ($"{p}self_attn.v_proj.bias", kv))
                : null,
            QNorm = model.QkNorm ? load.Vector(($"{p}self_attn.q_norm.weight", model.HeadDim)) : null,
            KNorm = model.QkNorm ? load.Vector(($"{p}self_attn.k_norm.weight", model.HeadDim)) : null,
            O = load.Matrix(q, ($"{p}self_attn.o_proj.weight", hidden)),
            PostAttentionNorm = load.Vector(($"{p}post_attention_layernorm.weight", hidden)),
            GateUp = load.Matrix(hidden, ($"{p}mlp.gate_proj.weight", inter), ($"{p}mlp.up_proj.weight", inter)),
            Down = load.Matrix(inter, ($"{p}mlp.down_proj.weight", hidden)),
        };
    }
}
