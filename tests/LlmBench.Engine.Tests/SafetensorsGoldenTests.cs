using LlmBench.Engine.Models;
using LlmBench.Engine.Weights;
using static LlmBench.Engine.Tests.Formats.SafetensorsTestWriter;

namespace LlmBench.Engine.Tests.Formats;

/// <summary>The golden checkpoints transformers saved: names, shapes and dtypes match the layout; values match how they were made.</summary>
public class SafetensorsGoldenTests
{
    [Theory]
    [InlineData("tiny-qwen3", TensorDType.F32)]
    [InlineData("tiny-qwen3-bf16", TensorDType.BF16)]
    [InlineData("tiny-qwen2", TensorDType.F32)]
    public void GoldenCheckpoint_HoldsExactlyTheLayoutOfItsConfig(string model, TensorDType dtype)
    {
        var dir = ConfigTestFixtures.GoldenDirectory(model);
        var config = ModelConfigReader.ReadDirectory(dir);
        using var file = SafetensorsFile.Open(Path.Combine(dir, "model.safetensors"));

        var expected = ModelTensorLayout.Expected(config);

        Assert.Equal(expected.Select(t => t.Name).Order(StringComparer.Ordinal), file.Names.Order(StringComparer.Ordinal));
        foreach (var tensor in expected)
        {
            Assert.Equal(tensor.Shape, file.GetInfo(tensor.Name).Shape);
            Assert.Equal(dtype, file.GetInfo(tensor.Name).DType);
        }

        ModelTensorLayout.Validate(config, file, model);
    }

    /// <summary>make_golden.py drew matrices from N(0, 1/√fan_in), norm weights from U(0.8, 1.2) and biases from N(0, 0.1).</summary>
    [Theory]
    [InlineData("tiny-qwen2", "model.embed_tokens.weight", 0.0, 0.08839)]
    [InlineData("tiny-qwen2", "model.layers.1.mlp.down_proj.weight", 0.0, 0.0625)]
    [InlineData("tiny-qwen2", "model.layers.0.self_attn.q_proj.bias", 0.0, 0.1)]
    [InlineData("tiny-qwen3-bf16", "lm_head.weight", 0.0, 0.08839)]
    [InlineData("tiny-qwen3", "model.layers.2.input_layernorm.weight", 1.0, 0.11547)]
    public void GoldenValues_HaveTheDistributionTheyWereDrawnFrom(string model, string tensor, double mean, double std)
    {
        using var file = SafetensorsFile.Open(ConfigTestFixtures.GoldenFile(model, "model.safetensors"));
        var values = new float[file.GetInfo(tensor).ElementCount];
        file.ReadFloat32(tensor, values);

        var actualMean = values.Average(v => (double)v);
        var actualStd = Math.Sqrt(values.Average(v => (v - actualMean) * (v - actualMean)));
        var meanTolerance = 5 * std / Math.Sqrt(values.Length);

        Assert.InRange(actualMean, mean - meanTolerance, mean + meanTolerance);
        Assert.InRange(actualStd, std * 0.85, std * 1.15);
    }

    [Fact]
    public void Bf16Golden_WidensExactlyAsItsRawBits()
    {
        using var file = SafetensorsFile.Open(ConfigTestFixtures.GoldenFile("tiny-qwen3-bf16", "model.safetensors"));
        foreach (var name in new[] { "lm_head.weight", "model.layers.0.self_attn.q_norm.weight", "model.norm.weight" })
        {
            var raw = file.GetBytes(name).ToArray();
            var widened = new float[file.GetInfo(name).ElementCount];
            file.ReadFloat32(name, widened);

            for (var i = 0; i < widened.Length; i++)
                Assert.Equal(BitConverter.UInt32BitsToSingle((uint)BitConverter.ToUInt16(raw, 2 * i) << 16), widened[i]);
        }
    }

    /// <summary>The fp32 golden re-stored as F16 and BF16: each path reads back the fp32 values within its dtype's precision.</summary>
    [Fact]
    public void F32Golden_RestoredAsF16AndBf16_ReadsBackWithinPrecision()
    {
        using var dir = new ConfigScratchDirectory();
        using var f32 = SafetensorsFile.Open(ConfigTestFixtures.GoldenFile("tiny-qwen3", "model.safetensors"));
        var names = f32.Names.Order(StringComparer.Ordinal).ToArray();
        var values = names.ToDictionary(n => n, n =>
        {
            var v = new float[f32.GetInfo(n).ElementCount];
            f32.ReadFloat32(n, v);
            return v;
        });
        File.WriteAllBytes(dir.File("f16.safetensors"), Build([.. names.Select(n => F16(n, f32.GetInfo(n).Shape, values[n]))]));
        File.WriteAllBytes(dir.File("bf16.safetensors"), Build([.. names.Select(n => BF16(n, f32.GetInfo(n).Shape, values[n]))]));
        using var f16 = SafetensorsFile.Open(dir.File("f16.safetensors"));
        using var bf16 = SafetensorsFile.Open(dir.File("bf16.safetensors"));

        foreach (var name in names)
        {
            var expected = values[name];
            var fromF16 = new float[expected.Length];
            var fromBf16 = new float[expected.Length];
            f16.ReadFloat32(name, fromF16);
            bf16.ReadFloat32(name, fromBf16);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(Math.Abs(fromF16[i] - expected[i]) <= Math.Abs(expected[i]) * (1.0 / 1024) + 1e-7, $"{name}[{i}] f16");
                Assert.True(Math.Abs(fromBf16[i] - expected[i]) <= Math.Abs(expected[i]) * (1.0 / 128), $"{name}[{i}] bf16");
            }
        }
    }

    [Fact]
    public void Validate_NamesAMissingTensorAndAWrongShape()
    {
        using var dir = new ConfigScratchDirectory();
        var config = ModelConfigReader.ReadDirectory(ConfigTestFixtures.GoldenDirectory("tiny-qwen2"));
        using var golden = SafetensorsFile.Open(ConfigTestFixtures.GoldenFile("tiny-qwen2", "model.safetensors"));
        var tensors = ReadAll(golden);

        File.WriteAllBytes(dir.File("missing.safetensors"), Build([.. tensors.Where(t => t.Name != "model.layers.1.self_attn.k_proj.bias")]));
        using (var missing = SafetensorsFile.Open(dir.File("missing.safetensors")))
        {
            var ex = Assert.Throws<UserErrorException>(() => ModelTensorLayout.Validate(config, missing, "missing.safetensors"));
            Assert.Contains("model.layers.1.self_attn.k_proj.bias", ex.Message, StringComparison.Ordinal);
        }

        File.WriteAllBytes(dir.File("reshaped.safetensors"), Build([.. tensors.Select(t => t.Name == "model.norm.weight" ? t with { Shape = [2, 64] } : t)]));
        using var reshaped = SafetensorsFile.Open(dir.File("reshaped.safetensors"));
        var shapeError = Assert.Throws<UserErrorException>(() => ModelTensorLayout.Validate(config, reshaped, "reshaped.safetensors"));
        Assert.Contains("model.norm.weight has shape [2, 64]", shapeError.Message, StringComparison.Ordinal);
    }
}
