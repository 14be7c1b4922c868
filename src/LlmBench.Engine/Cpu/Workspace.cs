using LlmBench.Engine.Models;

namespace LlmBench.Engine.Cpu;

/// <summary>
/// Every activation buffer of the forward pass, allocated once per executor for the largest pass
/// (<paramref name="maxTokens"/> tokens, <paramref name="logitsRows"/> rows of logits at a time) and reused each step.
/// Pinned, so that a row's address alignment (and with it the vectorized sums' rounding) never changes.
/// </summary>
internal sealed class Workspace(ModelConfig model, int maxTokens, int logitsRows)
{
    public int MaxTokens { get; } = maxTokens;
    public int LogitsRows { get; } = logitsRows;

    /// <summary>The residual stream, [tokens × hidden].</summary>
    public float[] Hidden { get; } = Buffer(maxTokens, model.HiddenSize);

    /// <summary>Normalized hidden states, the input of each projection; later the final norm of the sampled rows.</summary>
    public float[] Normed { get; } = Buffer(maxTokens, model.HiddenSize);

    /// <summary>q | k | v per token, [tokens × (q + 2·kv)].</summary>
    public float[] Qkv { get; } = Buffer(maxTokens, model.QSize + 2 * model.KvSize);

    public float[] Attention { get; } = Buffer(maxTokens, model.QSize);

    /// <summary>Output of o_proj and of down_proj before the residual add.</summary>
    public float[] Projected { get; } = Buffer(maxTokens, model.HiddenSize);

    public float[] GateUp { get; } = Buffer(maxTokens, 2 * model.IntermediateSize);
    public float[] Activation { get; } = Buffer(maxTokens, model.IntermediateSize);

    /// <summary>Final-normed hidden states of the sampled rows, gathered for the LM head.</summary>
    public float[] SampleHidden { get; } = Buffer(maxTokens, model.HiddenSize);

    public float[] Logits { get; } = Buffer(logitsRows, model.VocabSize);

    private static float[] Buffer(int rows, int width) => GC.AllocateArray<float>(checked(rows * width), pinned: true);
}
