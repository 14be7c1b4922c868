using System.Text.Json;

namespace LlmBench.Engine.Models;

/// <summary>
/// Reads config.json's quantization_config. Block-scaled fp8 e4m3 (quant_method "fp8" with weight_block_size) is the
/// one quantized format llmbench loads; every other method or variant is refused in one sentence naming it.
/// </summary>
internal static class QuantizationConfigReader
{
    public const string Field = "quantization_config";

    /// <summary>Null when config.json has no quantization_config (an unquantized checkpoint).</summary>
    public static Fp8BlockQuantization? Read(JsonFields json)
    {
        if (json.OptionalObject(Field) is not { } q)
            return null;
        var method = q.OptionalString("quant_method")
            ?? throw Error(json, "has no \"quant_method\"");
        if (method != "fp8")
            throw Error(json, $"has quant_method \"{Clip(method)}\", which llmbench does not load; it loads quant_method \"fp8\" (e4m3 weights with block scales, as Qwen3's FP8 releases) and unquantized bf16, fp16 or fp32 checkpoints");
        var format = q.OptionalString("fmt") ?? "e4m3";
        if (format != "e4m3")
            throw Error(json, $"has fmt \"{Clip(format)}\"; llmbench loads fp8 e4m3 weights only");
        var activations = q.OptionalString("activation_scheme") ?? "dynamic";
        if (activations != "dynamic")
            throw Error(json, $"has activation_scheme \"{Clip(activations)}\"; llmbench loads fp8 checkpoints with dynamic activation scales only (it does not read input_scale tensors)");
        var (rows, columns) = BlockSize(json, q);
        return new Fp8BlockQuantization(rows, columns, activations, q.OptionalStringList("modules_to_not_convert"));
    }

    private static (int Rows, int Columns) BlockSize(JsonFields json, JsonFields q)
    {
        if (q.Find("weight_block_size") is not { } value)
            throw Error(json, "has no \"weight_block_size\"; llmbench loads block-scaled fp8 checkpoints (weight_scale_inv per block), not per-tensor-scaled ones");
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2
            || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var n) || n <= 0))
            throw Error(json, $"has weight_block_size {Clip(value.GetRawText())}; it must be two positive integers, [rows, columns]");
        return (value[0].GetInt32(), value[1].GetInt32());
    }

    private static UserErrorException Error(JsonFields json, string problem) => new($"{json.FilePath}: {Field} {problem}.");

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
