namespace LlmBench.Engine.Models;

/// <summary>
/// Which Hugging Face architectures the engine runs. A config names its family by
/// <c>architectures</c> (preferred, it names the head too) or by <c>model_type</c>.
/// </summary>
public static class ModelFamilies
{
    private static readonly (string Architecture, string ModelType, ModelFamily Family)[] Supported =
    [
        ("Qwen3ForCausalLM", "qwen3", ModelFamily.Qwen3),
        ("Qwen2ForCausalLM", "qwen2", ModelFamily.Qwen2),
        ("LlamaForCausalLM", "llama", ModelFamily.Llama),
    ];

    /// <summary>"Qwen3ForCausalLM (qwen3), ..." for error messages.</summary>
    public static string SupportedList =>
        string.Join(", ", Supported.Select(s => $"{s.Architecture} ({s.ModelType})"));

    /// <summary>The architecture name a config.json of <paramref name="family"/> lists, e.g. "Qwen3ForCausalLM".</summary>
    public static string Architecture(ModelFamily family) => Supported.First(s => s.Family == family).Architecture;

    /// <summary>
    /// The family of a config with these <paramref name="architectures"/> and <paramref name="modelType"/>;
    /// throws <see cref="UserErrorException"/> naming what it found when none is supported.
    /// </summary>
    public static ModelFamily Resolve(IReadOnlyList<string> architectures, string? modelType, string filePath)
    {
        foreach (var architecture in architectures)
        {
            foreach (var entry in Supported)
            {
                if (string.Equals(entry.Architecture, architecture, StringComparison.Ordinal))
                    return entry.Family;
            }
        }

        // A config that lists architectures names its head; only fall back to model_type when it lists none,
        // so that e.g. Qwen2ForSequenceClassification is refused instead of run as a language model.
        if (architectures.Count == 0 && modelType is not null)
        {
            foreach (var entry in Supported)
            {
                if (string.Equals(entry.ModelType, modelType, StringComparison.Ordinal))
                    return entry.Family;
            }
        }

        var found = architectures.Count > 0
            ? $"architectures {string.Join(", ", architectures)}"
            : modelType is null ? "no architectures and no model_type" : $"model_type \"{modelType}\"";
        throw new UserErrorException(
            $"{filePath} names {found}, which llmbench does not run; supported: {SupportedList}.");
    }
}
