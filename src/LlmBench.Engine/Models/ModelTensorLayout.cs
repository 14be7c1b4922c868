using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Models;

/// <summary>A tensor a model of some config must have: its Hugging Face name and row-major shape.</summary>
public sealed record ExpectedTensor(string Name, long[] Shape);

/// <summary>
/// The weight tensors of each family under their Hugging Face names, with shapes from the config:
/// what dummy weights generate and what a real checkpoint is checked against before it runs.
/// </summary>
public static class ModelTensorLayout
{
    public const string EmbedTokens = "model.embed_tokens.weight";
    public const string FinalNorm = "model.norm.weight";
    public const string LmHead = "lm_head.weight";

    /// <summary>"model.layers.{layer}.{suffix}", e.g. Layer(0, "self_attn.q_proj.weight").</summary>
    public static string Layer(int layer, string suffix) => $"model.layers.{layer}.{suffix}";

    public static IReadOnlyList<ExpectedTensor> Expected(ModelConfig config)
    {
        long hidden = config.HiddenSize, intermediate = config.IntermediateSize;
        long q = config.QSize, kv = config.KvSize;
        var tensors = new List<ExpectedTensor> { new(EmbedTokens, [config.VocabSize, hidden]) };
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            void Add(string suffix, params long[] shape) => tensors.Add(new(Layer(i, suffix), shape));

            Add("input_layernorm.weight", hidden);
            Add("self_attn.q_proj.weight", q, hidden);
            Add("self_attn.k_proj.weight", kv, hidden);
            Add("self_attn.v_proj.weight", kv, hidden);
            Add("self_attn.o_proj.weight", hidden, q);
            if (config.AttentionBias)
            {
                Add("self_attn.q_proj.bias", q);
                Add("self_attn.k_proj.bias", kv);
                Add("self_attn.v_proj.bias", kv);
            }

            if (config.OutputProjectionBias)
                Add("self_attn.o_proj.bias", hidden);
            if (config.QkNorm)
            {
                Add("self_attn.q_norm.weight", config.HeadDim);
                Add("self_attn.k_norm.weight", config.HeadDim);
            }

            Add("post_attention_layernorm.weight", hidden);
            Add("mlp.gate_proj.weight", intermediate, hidden);
            Add("mlp.up_proj.weight", intermediate, hidden);
            Add("mlp.down_proj.weight", hidden, intermediate);
        }

        tensors.Add(new(FinalNorm, [hidden]));
        if (!config.TieWordEmbeddings)
            tensors.Add(new(LmHead, [config.VocabSize, hidden]));
        return tensors;
    }

    /// <summary>
    /// Throws <see cref="UserErrorException"/> naming the first tensor of the layout that
    /// <paramref name="weights"/> lacks or holds with another shape. Extra tensors are allowed
    /// (old checkpoints carry rotary buffers, tied ones sometimes an lm_head copy).
    /// </summary>
    public static void Validate(ModelConfig config, ITensorSource weights, string weightsDescription)
    {
        foreach (var expected in Expected(config))
        {
            if (!weights.Contains(expected.Name))
                throw new UserErrorException(
                    $"{weightsDescription} lacks the tensor {expected.Name}, which a {config.Family} model with this config.json needs.");
            var actual = weights.GetInfo(expected.Name).Shape;
            if (!actual.AsSpan().SequenceEqual(expected.Shape))
                throw new UserErrorException(
                    $"{weightsDescription}: tensor {expected.Name} has shape [{string.Join(", ", actual)}], but config.json implies [{string.Join(", ", expected.Shape)}].");
        }
    }
}
