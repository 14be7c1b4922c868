namespace LlmBench.Engine.Models;

/// <summary>
/// config.json's quantization_config of a block-scaled fp8 checkpoint (Qwen3-*-FP8, DeepSeek-V3 style): each quantized
/// linear weight is stored as F8_E4M3 with a companion "&lt;name&gt;_scale_inv" tensor of one scale per
/// <see cref="BlockRows"/> × <see cref="BlockColumns"/> block, w[r, c] = fp8[r, c] · scale_inv[r / BlockRows, c / BlockColumns].
/// </summary>
/// <param name="BlockRows">weight_block_size[0]: output rows per scale.</param>
/// <param name="BlockColumns">weight_block_size[1]: input columns per scale.</param>
/// <param name="ActivationScheme">"dynamic" (the only one accepted; llmbench computes activations in bf16 or fp32 anyway).</param>
/// <param name="ModulesToNotConvert">Modules the checkpoint left unquantized (informational: each tensor's dtype decides).</param>
public sealed record Fp8BlockQuantization(int BlockRows, int BlockColumns, string ActivationScheme, IReadOnlyList<string> ModulesToNotConvert)
{
    /// <summary>"fp8_e4m3, blocks 128×128": how results and notes name the checkpoint's format.</summary>
    public string Description => $"fp8_e4m3, blocks {BlockRows}×{BlockColumns}";
}
