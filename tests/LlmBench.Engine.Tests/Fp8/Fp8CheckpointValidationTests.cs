using System.Text.Json.Nodes;
using LlmBench.Engine.Loading;
using LlmBench.Engine.Models;
using LlmBench.Engine.Tests.Formats;
using LlmBench.Engine.Tests.Golden;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Tests.Fp8;

/// <summary>What is refused, each in one sentence naming the field or tensor: other quantization methods and formats,
/// bad block sizes, fp8 tensors without (or with misshapen) scales, fp8 tensors without a quantization_config.</summary>
public class Fp8CheckpointValidationTests
{
    [Theory]
    [InlineData("""{"quant_method": "gptq", "bits": 4}""", "quant_method \"gptq\", which llmbench does not load; it loads quant_method \"fp8\"")]
    [InlineData("""{"quant_method": "awq"}""", "quant_method \"awq\", which llmbench does not load")]
    [InlineData("""{"weight_block_size": [128, 128]}""", "has no \"quant_method\"")]
    [InlineData("""{"quant_method": "fp8", "fmt": "e5m2", "weight_block_size": [128, 128]}""", "fmt \"e5m2\"; llmbench loads fp8 e4m3 weights only")]
    [InlineData("""{"quant_method": "fp8", "activation_scheme": "static", "weight_block_size": [128, 128]}""", "activation_scheme \"static\"")]
    [InlineData("""{"quant_method": "fp8", "activation_scheme": "dynamic"}""", "has no \"weight_block_size\"; llmbench loads block-scaled fp8 checkpoints")]
    [InlineData("""{"quant_method": "fp8", "weight_block_size": [128]}""", "weight_block_size [128]; it must be two positive integers")]
    [InlineData("""{"quant_method": "fp8", "weight_block_size": [128, 0]}""", "weight_block_size [128,0]; it must be two positive integers")]
    [InlineData("""{"quant_method": "fp8", "weight_block_size": [128, 1.5]}""", "it must be two positive integers")]
    [InlineData("""{"quant_method": "fp8", "weight_block_size": "128"}""", "it must be two positive integers")]
    [InlineData("""{"quant_method": "fp8", "weight_block_size": [128, 128], "modules_to_not_convert": "lm_head"}""", "\"modules_to_not_convert\" must be a list of strings")]
    [InlineData("\"fp8\"", "\"quantization_config\" must be an object")]
    public void QuantizationConfig_IsRefusedInOneSentence(string quantizationConfig, string expected)
    {
        using var dir = new ConfigScratchDirectory();
        var config = JsonNode.Parse(File.ReadAllText(ConfigTestFixtures.GoldenFile("tiny-qwen3", "config.json")))!.AsObject();
        config["quantization_config"] = JsonNode.Parse(quantizationConfig);
        var path = dir.Write("config.json", config.ToJsonString());
        var ex = Assert.Throws<UserErrorException>(() => ModelConfigReader.Read(path, null));
        Assert.Contains(expected, ex.Message);
        Assert.StartsWith(path, ex.Message);
        AssertOneSentence(ex.Message);
    }

    [Fact]
    public void ANullQuantizationConfig_IsAnUnquantizedModel()
    {
        using var dir = new ConfigScratchDirectory();
        var config = JsonNode.Parse(File.ReadAllText(ConfigTestFixtures.GoldenFile("tiny-qwen3", "config.json")))!.AsObject();
        config["quantization_config"] = null;
        Assert.Null(ModelConfigReader.Read(dir.Write("config.json", config.ToJsonString()), null).Quantization);
    }

    [Fact]
    public void AScaleOfTheWrongShape_IsNamed()
    {
        var ex = LoadEdited((tensors, _) =>
        {
            int i = tensors.FindIndex(t => t.Name == "model.layers.1.mlp.down_proj.weight_scale_inv");
            tensors[i] = SafetensorsTestWriter.F32(tensors[i].Name, [2, 1], [1f, 1f]);
        }, blockRows: 64, blockColumns: 128);
        Assert.Equal("model.layers.1.mlp.down_proj.weight_scale_inv has shape [2, 1], but model.layers.1.mlp.down_proj.weight [128, 256] in blocks of 64×128 needs [2, 2].",
            ex.Message[(ex.Message.IndexOf(": tensor ", StringComparison.Ordinal) + ": tensor ".Length)..]);
        AssertOneSentence(ex.Message);
    }

    [Fact]
    public void AnFp8TensorWithoutItsScale_IsNamed()
    {
        var ex = LoadEdited((tensors, _) => tensors.RemoveAll(t => t.Name == "model.layers.2.self_attn.k_proj.weight_scale_inv"));
        Assert.EndsWith("the F8_E4M3 tensor model.layers.2.self_attn.k_proj.weight has no model.layers.2.self_attn.k_proj.weight_scale_inv tensor of block scales.", ex.Message);
        AssertOneSentence(ex.Message);
    }

    [Fact]
    public void AScaleInF8_IsRefused()
    {
        var ex = LoadEdited((tensors, _) =>
        {
            int i = tensors.FindIndex(t => t.Name == "model.layers.0.self_attn.q_proj.weight_scale_inv");
            tensors[i] = new TestTensor(tensors[i].Name, "F8_E4M3", tensors[i].Shape, new byte[tensors[i].Shape.Aggregate(1L, (a, b) => a * b)]);
        });
        Assert.Contains("tensor model.layers.0.self_attn.q_proj.weight_scale_inv is F8_E4M3; block scales must be F32, BF16 or F16.", ex.Message);
    }

    [Fact]
    public void Fp8TensorsWithoutAQuantizationConfig_AreRefused()
    {
        var ex = LoadEdited((_, config) => config.Remove("quantization_config"));
        Assert.Contains("stores tensor model.layers.0.mlp.down_proj.weight as F8_E4M3, but config.json has no quantization_config", ex.Message);
        AssertOneSentence(ex.Message);
    }

    [Fact]
    public void AQuantizationConfigWithoutFp8Tensors_IsRefused()
    {
        using var dirs = new ConfigScratchDirectory();
        var fixture = GoldenFixture.Read("tiny-qwen3");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(fixture.Directory, "config.json")))!.AsObject();
        config["quantization_config"] = JsonNode.Parse("""{"quant_method": "fp8", "weight_block_size": [128, 128]}""");
        Directory.CreateDirectory(dirs.File("m"));
        File.WriteAllText(dirs.File("m/config.json"), config.ToJsonString());
        File.Copy(Path.Combine(fixture.Directory, "model.safetensors"), dirs.File("m/model.safetensors"));
        var ex = Assert.Throws<UserErrorException>(() => Load(dirs.File("m")));
        Assert.Contains("config.json's quantization_config says fp8, but", ex.Message);
        Assert.EndsWith("holds no F8_E4M3 tensor.", ex.Message);
    }

    [Theory]
    [InlineData("F8_E5M2")]
    [InlineData("I8")]
    public void OtherStoredDtypes_AreRefusedByTheReader_NamingWhatItReads(string dtype)
    {
        using var dir = new ConfigScratchDirectory();
        var path = dir.File("x.safetensors");
        File.WriteAllBytes(path, SafetensorsTestWriter.Build([new TestTensor("w", dtype, [2, 2], new byte[4])]));
        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path));
        Assert.Contains($"tensor w has dtype \"{dtype}\"; llmbench reads only F32, F16, BF16 and F8_E4M3", ex.Message);
        AssertOneSentence(ex.Message);
    }

    [Fact]
    public void F8E4M3_IsOneBytePerElement_InTheReader()
    {
        using var dir = new ConfigScratchDirectory();
        var path = dir.File("x.safetensors");
        File.WriteAllBytes(path, SafetensorsTestWriter.Build([new TestTensor("w", "F8_E4M3", [2, 3], [0x38, 0xB8, 0x7E, 0x01, 0x00, 0x80])]));
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(new TensorInfo("w", TensorDType.F8_E4M3, [2, 3]).ByteLength, file.GetBytes("w").Length);
        Assert.Equal(6, file.GetBytes("w").Length);
    }

    /// <summary>Writes the fp8 checkpoint of tiny-qwen3, lets <paramref name="edit"/> change its tensors or config, and loads it.</summary>
    private static UserErrorException LoadEdited(Action<List<TestTensor>, JsonObject> edit, int blockRows = 128, int blockColumns = 128)
    {
        using var dirs = new ConfigScratchDirectory();
        var fixture = GoldenFixture.Read("tiny-qwen3");
        Fp8CheckpointBuilder.Write(fixture.Directory, dirs.File("fp8"), dirs.File("dequantized"), blockRows, blockColumns);
        List<TestTensor> tensors;
        using (var file = SafetensorsFile.Open(dirs.File("fp8/model.safetensors")))
            tensors = SafetensorsTestWriter.ReadAll(file);
        var config = JsonNode.Parse(File.ReadAllText(dirs.File("fp8/config.json")))!.AsObject();
        edit(tensors, config);
        File.WriteAllBytes(dirs.File("fp8/model.safetensors"), SafetensorsTestWriter.Build(tensors));
        File.WriteAllText(dirs.File("fp8/config.json"), config.ToJsonString());
        return Assert.Throws<UserErrorException>(() => Load(dirs.File("fp8")).Dispose());
    }

    private static LoadedModel Load(string directory) => ModelLoader.Load(new ModelLoadOptions
    {
        Model = directory,
        Format = LoadFormat.Safetensors,
        Environment = HuggingFaceEnvironment.WithHfHome(Path.Combine(Path.GetTempPath(), "llmbench-no-hf-cache")),
    });

    private static void AssertOneSentence(string message)
    {
        Assert.DoesNotContain('\n', message);
        Assert.EndsWith(".", message);
        Assert.DoesNotContain("   at ", message);
    }
}
