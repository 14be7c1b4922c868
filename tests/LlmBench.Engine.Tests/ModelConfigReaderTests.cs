using LlmBench.Engine.Models;

namespace LlmBench.Engine.Tests.Formats;

public class ModelConfigReaderTests
{
    private const string LlamaConfig = """
        {
          "architectures": ["LlamaForCausalLM"], "model_type": "llama",
          "vocab_size": 128256, "hidden_size": 2048, "intermediate_size": 8192,
          "num_hidden_layers": 16, "num_attention_heads": 32, "num_key_value_heads": 8,
          "max_position_embeddings": 131072, "rms_norm_eps": 1e-05, "rope_theta": 500000.0,
          "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                           "original_max_position_embeddings": 8192, "rope_type": "llama3"},
          "tie_word_embeddings": true, "torch_dtype": "bfloat16", "hidden_act": "silu",
          "bos_token_id": 128000, "eos_token_id": 128001
        }
        """;

    [Fact]
    public void Qwen3Golden_ParsesTransformers5Config()
    {
        var config = ModelConfigReader.ReadDirectory(ConfigTestFixtures.GoldenDirectory("tiny-qwen3"));

        Assert.Equal(ModelFamily.Qwen3, config.Family);
        Assert.Equal("qwen3", config.ModelType);
        Assert.Equal((1024, 128, 256, 3), (config.VocabSize, config.HiddenSize, config.IntermediateSize, config.NumHiddenLayers));
        Assert.Equal((4, 2, 32), (config.NumAttentionHeads, config.NumKeyValueHeads, config.HeadDim));
        Assert.Equal(1_000_000.0, config.RopeTheta);
        Assert.Equal(1e-6, config.RmsNormEps);
        Assert.Equal(1024, config.MaxPositionEmbeddings);
        Assert.True(config.TieWordEmbeddings);
        Assert.True(config.QkNorm);
        Assert.False(config.AttentionBias);
        Assert.Null(config.RopeScaling);
        Assert.Empty(config.EosTokenIds);
        Assert.Null(config.BosTokenId);
        Assert.Equal("float32", config.TorchDtype);
    }

    [Fact]
    public void Qwen3Bf16Golden_HasExplicitHeadDimAndUntiedHead()
    {
        var config = ModelConfigReader.ReadDirectory(ConfigTestFixtures.GoldenDirectory("tiny-qwen3-bf16"));

        Assert.Equal(64, config.HeadDim);
        Assert.Equal(256, config.QSize);
        Assert.False(config.TieWordEmbeddings);
        Assert.Equal("bfloat16", config.TorchDtype);
    }

    [Fact]
    public void Qwen2Golden_HasBiasAndDerivesHeadDim()
    {
        var config = ModelConfigReader.ReadDirectory(ConfigTestFixtures.GoldenDirectory("tiny-qwen2"));

        Assert.Equal(ModelFamily.Qwen2, config.Family);
        Assert.True(config.AttentionBias);
        Assert.False(config.OutputProjectionBias);
        Assert.False(config.QkNorm);
        Assert.Equal(128 / 4, config.HeadDim);
        Assert.Equal(64, config.KvSize);
    }

    [Fact]
    public void Llama_ParsesRopeScalingAndDefaults()
    {
        using var dir = new ConfigScratchDirectory();
        dir.Write("config.json", LlamaConfig.Replace("\"num_key_value_heads\": 8,", "", StringComparison.Ordinal));

        var config = ModelConfigReader.ReadDirectory(dir.Path);

        Assert.Equal(ModelFamily.Llama, config.Family);
        Assert.False(config.AttentionBias);
        Assert.False(config.QkNorm);
        Assert.Equal(32, config.NumKeyValueHeads);
        Assert.Equal(2048 / 32, config.HeadDim);
        Assert.Equal(500000.0, config.RopeTheta);
        Assert.Equal(1e-5, config.RmsNormEps);
        Assert.Equal(new RopeScaling("llama3", 32.0, 1.0, 4.0, 8192), config.RopeScaling);
        Assert.Equal([128001], config.EosTokenIds);
        Assert.Equal(128000, config.BosTokenId);
    }

    [Fact]
    public void Llama_AttentionBiasCoversTheOutputProjectionToo()
    {
        using var dir = new ConfigScratchDirectory();
        dir.Write("config.json", LlamaConfig.Replace("\"model_type\": \"llama\",", "\"model_type\": \"llama\", \"attention_bias\": true,", StringComparison.Ordinal));

        var config = ModelConfigReader.ReadDirectory(dir.Path);

        Assert.True(config.AttentionBias);
        Assert.True(config.OutputProjectionBias);
    }

    [Fact]
    public void RopeParametersOfTransformers5_CarryLlama3Scaling()
    {
        using var dir = new ConfigScratchDirectory();
        var v5 = LlamaConfig
            .Replace("\"rope_theta\": 500000.0,", "", StringComparison.Ordinal)
            .Replace("\"rope_scaling\"", "\"rope_parameters\"", StringComparison.Ordinal)
            .Replace("\"rope_type\": \"llama3\"", "\"rope_type\": \"llama3\", \"rope_theta\": 250000.0", StringComparison.Ordinal);
        dir.Write("config.json", v5);

        var config = ModelConfigReader.ReadDirectory(dir.Path);

        Assert.Equal(250000.0, config.RopeTheta);
        Assert.Equal(32.0, config.RopeScaling!.Factor);
    }

    [Theory]
    [InlineData("[151645, 151643]", new[] { 151645, 151643 })]
    [InlineData("151645", new[] { 151645 })]
    public void GenerationConfigEos_OverridesConfigEos_AsIntOrList(string eosJson, int[] expected)
    {
        using var dir = new ConfigScratchDirectory();
        dir.Write("config.json", LlamaConfig);
        dir.Write("generation_config.json", $$"""{"bos_token_id": 7, "eos_token_id": {{eosJson}}, "do_sample": true}""");

        var config = ModelConfigReader.ReadDirectory(dir.Path);

        Assert.Equal(expected, config.EosTokenIds);
        Assert.Equal(7, config.BosTokenId);
    }

    [Fact]
    public void GenerationConfigWithoutEos_KeepsConfigEos()
    {
        using var dir = new ConfigScratchDirectory();
        dir.Write("config.json", LlamaConfig);
        dir.Write("generation_config.json", """{"temperature": 0.6}""");

        Assert.Equal([128001], ModelConfigReader.ReadDirectory(dir.Path).EosTokenIds);
    }

    [Theory]
    [InlineData("vocab_size")]
    [InlineData("hidden_size")]
    [InlineData("intermediate_size")]
    [InlineData("num_hidden_layers")]
    [InlineData("num_attention_heads")]
    [InlineData("max_position_embeddings")]
    public void MissingRequiredField_IsAUserErrorNamingFieldAndFile(string field)
    {
        using var dir = new ConfigScratchDirectory();
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(ConfigTestFixtures.GoldenFile("tiny-qwen3", "config.json")))!.AsObject();
        json.Remove(field);
        var path = dir.Write("config.json", json.ToJsonString());

        var ex = Assert.Throws<UserErrorException>(() => ModelConfigReader.ReadDirectory(dir.Path));

        Assert.Contains($"\"{field}\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsupportedArchitecture_IsNamedWithTheSupportedList()
    {
        using var dir = new ConfigScratchDirectory();
        dir.Write("config.json", LlamaConfig.Replace("LlamaForCausalLM", "MistralForCausalLM", StringComparison.Ordinal));

        var ex = Assert.Throws<UserErrorException>(() => ModelConfigReader.ReadDirectory(dir.Path));

        Assert.Contains("MistralForCausalLM", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Qwen3ForCausalLM", ex.Message, StringComparison.Ordinal);
        Assert.Contains("LlamaForCausalLM", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelTypeAlone_PicksTheFamily_ButAnUnknownOneIsNamed()
    {
        using var dir = new ConfigScratchDirectory();
        dir.Write("config.json", LlamaConfig.Replace("\"architectures\": [\"LlamaForCausalLM\"],", "", StringComparison.Ordinal));
        Assert.Equal(ModelFamily.Llama, ModelConfigReader.ReadDirectory(dir.Path).Family);

        dir.Write("config.json", LlamaConfig
            .Replace("\"architectures\": [\"LlamaForCausalLM\"],", "", StringComparison.Ordinal)
            .Replace("\"llama\"", "\"gemma3\"", StringComparison.Ordinal));
        var ex = Assert.Throws<UserErrorException>(() => ModelConfigReader.ReadDirectory(dir.Path));
        Assert.Contains("gemma3", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"hidden_size\": 2048", "\"hidden_size\": \"big\"", "hidden_size")]
    [InlineData("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 5", "num_key_value_heads")]
    [InlineData("\"num_hidden_layers\": 16", "\"num_hidden_layers\": 0", "num_hidden_layers")]
    [InlineData("\"rope_type\": \"llama3\"", "\"rope_type\": \"yarn\"", "yarn")]
    [InlineData("\"hidden_act\": \"silu\"", "\"hidden_act\": \"gelu\"", "gelu")]
    [InlineData("\"eos_token_id\": 128001", "\"eos_token_id\": [1, \"x\"]", "eos_token_id")]
    [InlineData("\"factor\": 32.0,", "", "factor")]
    public void InvalidValues_AreUserErrorsNamingTheField(string original, string replacement, string expectedInMessage)
    {
        using var dir = new ConfigScratchDirectory();
        Assert.Contains(original, LlamaConfig, StringComparison.Ordinal);
        dir.Write("config.json", LlamaConfig.Replace(original, replacement, StringComparison.Ordinal));

        var ex = Assert.Throws<UserErrorException>(() => ModelConfigReader.ReadDirectory(dir.Path));

        Assert.Contains(expectedInMessage, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"vocab_size\": 12,")]
    [InlineData("[1, 2, 3]")]
    [InlineData("")]
    public void MalformedJson_IsAUserErrorNamingTheFile(string text)
    {
        using var dir = new ConfigScratchDirectory();
        var path = dir.Write("config.json", text);

        var ex = Assert.Throws<UserErrorException>(() => ModelConfigReader.ReadDirectory(dir.Path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectoryWithoutConfig_SaysSo()
    {
        using var dir = new ConfigScratchDirectory();

        var ex = Assert.Throws<UserErrorException>(() => ModelConfigReader.ReadDirectory(dir.Path));

        Assert.Contains("config.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains(dir.Path, ex.Message, StringComparison.Ordinal);
    }
}
