namespace LlmBench.Engine.Models;

/// <summary>
/// A model's size from its config, in 64-bit (double) arithmetic so that no config value can overflow it:
/// what is checked before anything is allocated (a tensor no array can hold; weights larger than the memory there is).
/// </summary>
public static class ModelFootprint
{
    /// <summary>Parameters of the whole model (all layers), from one layer's layout times the layer count.</summary>
    public static double ParameterCount(ModelConfig config)
    {
        var oneLayer = ModelTensorLayout.Expected(config with { NumHiddenLayers = 1 });
        var outside = oneLayer.Where(t => !t.Name.StartsWith("model.layers.", StringComparison.Ordinal)).Sum(t => Elements(t.Shape));
        var perLayer = oneLayer.Sum(t => Elements(t.Shape)) - outside;
        return outside + perLayer * config.NumHiddenLayers;
    }

    /// <summary>Parameters of the decoder layers' linear weights (q, k, v, o, gate, up, down; no biases): what an fp8 checkpoint stores in fp8.</summary>
    public static double LayerLinearParameterCount(ModelConfig config)
    {
        double hidden = config.HiddenSize;
        double perLayer = hidden * (2.0 * config.QSize + 2.0 * config.KvSize) + 3.0 * hidden * config.IntermediateSize;
        return perLayer * config.NumHiddenLayers;
    }

    /// <summary>
    /// Throws <see cref="UserErrorException"/> (one sentence) when a tensor, or the CPU engine's fused q|k|v or gate|up
    /// matrix, has more elements than one array holds, or when head counts times head_dim leave the int range.
    /// </summary>
    public static void CheckTensorSizes(ModelConfig config, string source)
    {
        CheckProduct(source, "num_attention_heads × head_dim", (double)config.NumAttentionHeads * config.HeadDim);
        CheckProduct(source, "num_key_value_heads × head_dim", (double)config.NumKeyValueHeads * config.HeadDim);
        foreach (var tensor in ModelTensorLayout.Expected(config with { NumHiddenLayers = 1 }))
            CheckProduct(source, $"tensor {tensor.Name.Replace("model.layers.0.", "model.layers.N.", StringComparison.Ordinal)} [{string.Join(" × ", tensor.Shape)}]", Elements(tensor.Shape));
        CheckProduct(source, $"the fused gate|up matrix [2 × {config.IntermediateSize} × {config.HiddenSize}]", 2.0 * config.IntermediateSize * config.HiddenSize);
        CheckProduct(source, $"the fused q|k|v matrix [({config.QSize} + 2 × {config.KvSize}) × {config.HiddenSize}]",
            ((double)config.QSize + 2.0 * config.KvSize) * config.HiddenSize);
    }

    private static void CheckProduct(string source, string what, double elements)
    {
        if (elements > Array.MaxLength)
            throw new UserErrorException(
                $"{source}: {what} comes to {elements:N0} elements, more than one array can hold ({Array.MaxLength:N0}), so these config values are out of range.");
    }

    private static double Elements(long[] shape) => shape.Aggregate(1.0, (product, d) => product * d);
}
