using System.Text.Json.Nodes;

namespace LlmBench.Engine.Models;

/// <summary>
/// A <see cref="ModelConfig"/> as a Hugging Face config.json that transformers 4 and 5 load and that
/// <see cref="ModelConfigReader"/> reads back to the same config: RoPE under both spellings (rope_theta and
/// rope_scaling for transformers 4, rope_parameters for 5), the dtype under both (torch_dtype, dtype).
/// </summary>
public static class ModelConfigWriter
{
    public static JsonObject Build(ModelConfig c)
    {
        var rope = new JsonObject { ["rope_type"] = c.RopeScaling?.Type ?? "default", ["rope_theta"] = c.RopeTheta };
        if (c.RopeScaling is { } s)
        {
            rope["factor"] = s.Factor;
            rope["low_freq_factor"] = s.LowFreqFactor;
            rope["high_freq_factor"] = s.HighFreqFactor;
            rope["original_max_position_embeddings"] = s.OriginalMaxPositionEmbeddings;
        }

        var json = new JsonObject
        {
            ["architectures"] = new JsonArray(ModelFamilies.Architecture(c.Family)),
            ["model_type"] = c.ModelType,
            ["vocab_size"] = c.VocabSize,
            ["hidden_size"] = c.HiddenSize,
            ["intermediate_size"] = c.IntermediateSize,
            ["num_hidden_layers"] = c.NumHiddenLayers,
            ["num_attention_heads"] = c.NumAttentionHeads,
            ["num_key_value_heads"] = c.NumKeyValueHeads,
            ["head_dim"] = c.HeadDim,
            ["max_position_embeddings"] = c.MaxPositionEmbeddings,
            ["hidden_act"] = "silu",
            ["rms_norm_eps"] = c.RmsNormEps,
            ["rope_theta"] = c.RopeTheta,
            ["rope_parameters"] = rope,
            ["tie_word_embeddings"] = c.TieWordEmbeddings,
            ["attention_bias"] = c.AttentionBias,
            ["use_sliding_window"] = false,
            ["use_cache"] = true,
            ["torch_dtype"] = c.TorchDtype,
            ["dtype"] = c.TorchDtype,
        };
        if (c.RopeScaling is not null)
            json["rope_scaling"] = rope.DeepClone();
        if (c.BosTokenId is { } bos)
            json["bos_token_id"] = bos;
        if (c.EosTokenIds.Count > 0)
            json["eos_token_id"] = c.EosTokenIds.Count == 1 ? c.EosTokenIds[0] : new JsonArray(c.EosTokenIds.Select(id => (JsonNode?)id).ToArray());
        return json;
    }
}
