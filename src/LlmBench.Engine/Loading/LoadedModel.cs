using LlmBench.Engine.Models;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Loading;

/// <summary>A model ready for an engine: its validated config and its weights (owned: dispose to unmap them).</summary>
public sealed class LoadedModel : IDisposable
{
    public required ModelConfig Config { get; init; }

    public required ITensorSource Weights { get; init; }

    /// <summary>True when the weights are generated (results must say "dummy weights").</summary>
    public required bool IsDummy { get; init; }

    /// <summary>The model's short name: "Qwen3-0.6B", or the directory's name.</summary>
    public required string Name { get; init; }

    /// <summary>One line for people: "Qwen3-0.6B (dummy weights)".</summary>
    public required string Description { get; init; }

    /// <summary>The directory config.json came from (tokenizer.json is looked for there); null for a preset.</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>The preset this model is, when it is one; its tokenizer may ship inside the product.</summary>
    public ModelPreset? Preset { get; init; }

    /// <summary>A sentence to show the user about a choice made for them (e.g. falling back to dummy weights), or null.</summary>
    public string? Notice { get; init; }

    public void Dispose() => Weights.Dispose();
}
