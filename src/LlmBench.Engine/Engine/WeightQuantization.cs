using LlmBench.Engine.Models;

namespace LlmBench.Engine;

/// <summary>--quantization: how the decoder layers' linear weights are stored.</summary>
public enum WeightQuantization
{
    /// <summary>bf16 (the checkpoint's, or an fp8 checkpoint's dequantized to bf16).</summary>
    None,

    /// <summary>fp8 e4m3 with one fp32 scale per output row (W8A16; the LM head stays bf16): quantized from bf16 at load,
    /// or from an fp8 checkpoint's block scales re-quantized to per-row ones.</summary>
    Fp8,

    /// <summary>Not given: fp8 when the checkpoint is fp8 and the backend runs fp8 weights (as vLLM detects it from
    /// config.json), else none. A backend resolves it with <see cref="WeightQuantizations.ForCheckpoint"/>.</summary>
    Auto,
}

public static class WeightQuantizations
{
    /// <summary>The flag's value (vLLM's name); a misspelling is a <see cref="UserErrorException"/> naming the choices.</summary>
    public static WeightQuantization Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => WeightQuantization.Auto,
        "none" => WeightQuantization.None,
        "fp8" => WeightQuantization.Fp8,
        _ => throw new UserErrorException($"--quantization must be fp8 or none (or auto: fp8 for an fp8 checkpoint), got \"{text}\"."),
    };

    /// <summary>
    /// What a backend runs: <see cref="WeightQuantization.Auto"/> becomes fp8 when <paramref name="model"/> is an fp8
    /// checkpoint and the backend can run fp8 weights (<paramref name="backendRunsFp8"/>), else none; a choice given stays.
    /// </summary>
    public static WeightQuantization ForCheckpoint(this WeightQuantization asked, ModelConfig model, bool backendRunsFp8) =>
        asked != WeightQuantization.Auto ? asked
        : model.Quantization is not null && backendRunsFp8 ? WeightQuantization.Fp8
        : WeightQuantization.None;

    /// <summary>The name results and logs use: "fp8_e4m3", or null for none (and for auto, not yet resolved).</summary>
    public static string? DisplayName(this WeightQuantization q) => q == WeightQuantization.Fp8 ? "fp8_e4m3" : null;
}
