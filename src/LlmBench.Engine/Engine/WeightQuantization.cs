namespace LlmBench.Engine;

/// <summary>--quantization: how the decoder layers' linear weights are stored. None keeps the checkpoint's bf16.</summary>
public enum WeightQuantization
{
    None,

    /// <summary>fp8 e4m3 with one fp32 scale per output row, quantized from bf16 at load (W8A16; the LM head stays bf16).</summary>
    Fp8,
}

public static class WeightQuantizations
{
    /// <summary>The flag's value (vLLM's name); a misspelling is a <see cref="UserErrorException"/> naming the choices.</summary>
    public static WeightQuantization Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "none" => WeightQuantization.None,
        "fp8" => WeightQuantization.Fp8,
        _ => throw new UserErrorException($"--quantization must be fp8 (or none), got \"{text}\"."),
    };

    /// <summary>The name results and logs use: "fp8_e4m3", or null for none.</summary>
    public static string? DisplayName(this WeightQuantization q) => q == WeightQuantization.Fp8 ? "fp8_e4m3" : null;
}
