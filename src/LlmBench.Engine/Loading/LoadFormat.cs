namespace LlmBench.Engine.Loading;

/// <summary>Where the weights come from (vLLM's --load-format).</summary>
public enum LoadFormat
{
    /// <summary>The model's safetensors when there are any; a preset without them runs on dummy weights.</summary>
    Auto,

    /// <summary>Only real weights: a model without safetensors files is an error.</summary>
    Safetensors,

    /// <summary>Seeded random weights with the model's real shapes, whatever is on disk.</summary>
    Dummy,
}
