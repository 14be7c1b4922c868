using System.Text.Json.Nodes;
using LlmBench.Engine.Tests.Formats;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Tests.Fp8;

/// <summary>
/// Turns an fp32 fixture into a block-scaled fp8 checkpoint in the layout of Qwen3's FP8 releases (each layer's linear
/// weight F8_E4M3 beside "&lt;name&gt;_scale_inv", quantization_config in config.json; embeddings and norms as they were),
/// and writes the same fp8 weights dequantized, w = e4m3 · scale in double arithmetic, as an fp32 checkpoint. The
/// quantization is the usual one: scale = block amax / 448, codes rounded to nearest even by <see cref="E4m3Reference"/>.
/// </summary>
internal static class Fp8CheckpointBuilder
{
    private static readonly string[] LinearSuffixes =
        ["self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight", "self_attn.o_proj.weight",
         "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight"];

    /// <param name="scaleDType">"F32" or "BF16" (scales are rounded to bf16 by truncation before quantizing with them).</param>
    /// <param name="extraConfig">Extra fields of quantization_config (modules_to_not_convert).</param>
    public static void Write(string sourceDirectory, string fp8Directory, string dequantizedDirectory, int blockRows, int blockColumns,
        string scaleDType = "F32", JsonObject? extraConfig = null)
    {
        using var source = SafetensorsFile.Open(Path.Combine(sourceDirectory, SafetensorsDirectory.SingleFileName));
        var fp8 = new List<TestTensor>();
        var dequantized = new List<TestTensor>();
        foreach (var name in source.Names.Order(StringComparer.Ordinal))
        {
            var info = source.GetInfo(name);
            if (!name.StartsWith("model.layers.", StringComparison.Ordinal) || !LinearSuffixes.Any(name.EndsWith))
            {
                var stored = new TestTensor(name, info.DType.ToString(), info.Shape, source.GetBytes(name).ToArray());
                fp8.Add(stored);
                dequantized.Add(stored);
                continue;
            }

            var values = new float[info.ElementCount];
            source.ReadFloat32(name, values);
            var (codes, scales, gridShape, restored) = Quantize(values, (int)info.Shape[0], (int)info.Shape[1], blockRows, blockColumns, scaleDType == "BF16");
            fp8.Add(new TestTensor(name, "F8_E4M3", info.Shape, codes));
            fp8.Add(scaleDType == "BF16"
                ? SafetensorsTestWriter.BF16(name + "_scale_inv", gridShape, scales)
                : SafetensorsTestWriter.F32(name + "_scale_inv", gridShape, scales));
            dequantized.Add(SafetensorsTestWriter.F32(name, info.Shape, restored));
        }

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(sourceDirectory, "config.json")))!.AsObject();
        var dequantizedConfig = config.ToJsonString();
        var quantization = new JsonObject
        {
            ["quant_method"] = "fp8",
            ["fmt"] = "e4m3",
            ["activation_scheme"] = "dynamic",
            ["weight_block_size"] = new JsonArray(blockRows, blockColumns),
        };
        foreach (var (key, value) in extraConfig ?? [])
            quantization[key] = value?.DeepClone();
        config["quantization_config"] = quantization;
        WriteDirectory(sourceDirectory, fp8Directory, config.ToJsonString(), fp8);
        WriteDirectory(sourceDirectory, dequantizedDirectory, dequantizedConfig, dequantized);
    }

    /// <summary>Block scales (amax / 448, 1 for an all-zero block), the codes, and the weights those codes and scales stand for.</summary>
    public static (byte[] Codes, float[] Scales, long[] GridShape, float[] Restored) Quantize(float[] values, int rows, int columns,
        int blockRows, int blockColumns, bool bf16Scales)
    {
        int gridRows = (rows + blockRows - 1) / blockRows, gridColumns = (columns + blockColumns - 1) / blockColumns;
        var scales = new float[gridRows * gridColumns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                ref var amax = ref scales[(r / blockRows * gridColumns) + (c / blockColumns)];
                amax = Math.Max(amax, Math.Abs(values[(r * columns) + c]));
            }
        }

        for (int i = 0; i < scales.Length; i++)
        {
            var scale = scales[i] > 0 ? scales[i] / 448f : 1f;
            scales[i] = bf16Scales ? SafetensorsTestWriter.TruncateToBFloat16(scale) : scale;
        }

        var codes = new byte[values.Length];
        var restored = new float[values.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                int i = (r * columns) + c;
                var scale = scales[(r / blockRows * gridColumns) + (c / blockColumns)];
                codes[i] = E4m3Reference.Encode(values[i] / scale);
                restored[i] = (float)(E4m3Reference.Value(codes[i]) * scale);
            }
        }

        return (codes, scales, [gridRows, gridColumns], restored);
    }

    private static void WriteDirectory(string sourceDirectory, string directory, string config, List<TestTensor> tensors)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), config);
        File.Copy(Path.Combine(sourceDirectory, "generation_config.json"), Path.Combine(directory, "generation_config.json"), overwrite: true);
        File.WriteAllBytes(Path.Combine(directory, SafetensorsDirectory.SingleFileName), SafetensorsTestWriter.Build(tensors));
    }
}
