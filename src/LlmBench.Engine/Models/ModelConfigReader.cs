namespace LlmBench.Engine.Models;

/// <summary>
/// Reads a Hugging Face config.json (and generation_config.json, whose EOS ids are the ones generation
/// uses) into a validated <see cref="ModelConfig"/>. Accepts both the transformers 4 spelling
/// (rope_theta, rope_scaling, torch_dtype) and the transformers 5 one (rope_parameters, dtype).
/// </summary>
public static class ModelConfigReader
{
    public const string ConfigFileName = "config.json";
    public const string GenerationConfigFileName = "generation_config.json";

    /// <summary>Reads <paramref name="directory"/>/config.json and, when present, generation_config.json.</summary>
    public static ModelConfig ReadDirectory(string directory)
    {
        var configPath = Path.Combine(directory, ConfigFileName);
        if (!File.Exists(configPath))
            throw new UserErrorException($"The model directory {directory} has no {ConfigFileName}.");
        var generationPath = Path.Combine(directory, GenerationConfigFileName);
        return Read(configPath, File.Exists(generationPath) ? generationPath : null);
    }

    public static ModelConfig Read(string configPath, string? generationConfigPath)
    {
        using var document = JsonFields.ParseFile(configPath);
        var config = Parse(new JsonFields(document.RootElement, configPath));
        if (generationConfigPath is null)
            return config;

        using var generationDocument = JsonFields.ParseFile(generationConfigPath);
        var generation = new JsonFields(generationDocument.RootElement, generationConfigPath);
        return config with
        {
            EosTokenIds = generation.OptionalIntOrIntList("eos_token_id") ?? config.EosTokenIds,
            BosTokenId = generation.OptionalInt("bos_token_id") ?? config.BosTokenId,
        };
    }

    private static ModelConfig Parse(JsonFields json)
    {
        var modelType = json.OptionalString("model_type");
        var family = ModelFamilies.Resolve(json.OptionalStringList("architectures"), modelType, json.FilePath);
        RejectUnsupportedFeatures(json);

        var hiddenSize = Positive(json, "hidden_size", json.RequiredInt("hidden_size"));
        var heads = Positive(json, "num_attention_heads", json.RequiredInt("num_attention_heads"));
        var kvHeads = Positive(json, "num_key_value_heads", json.OptionalInt("num_key_value_heads") ?? heads);
        if (heads % kvHeads != 0)
            throw new UserErrorException(
                $"{json.FilePath}: num_attention_heads ({heads}) must be a multiple of num_key_value_heads ({kvHeads}).");

        var headDim = json.OptionalInt("head_dim");
        if (headDim is null && hiddenSize % heads != 0)
            throw new UserErrorException(
                $"{json.FilePath} has no \"head_dim\" and hidden_size ({hiddenSize}) is not a multiple of num_attention_heads ({heads}).");

        var attentionBias = family == ModelFamily.Qwen2 || (json.OptionalBool("attention_bias") ?? false);
        var config = new ModelConfig
        {
            Family = family,
            ModelType = modelType ?? family.ToString().ToLowerInvariant(),
            VocabSize = Positive(json, "vocab_size", json.RequiredInt("vocab_size")),
            HiddenSize = hiddenSize,
            IntermediateSize = Positive(json, "intermediate_size", json.RequiredInt("intermediate_size")),
            NumHiddenLayers = Positive(json, "num_hidden_layers", json.RequiredInt("num_hidden_layers")),
            NumAttentionHeads = heads,
            NumKeyValueHeads = kvHeads,
            HeadDim = Positive(json, "head_dim", headDim ?? hiddenSize / heads),
            MaxPositionEmbeddings = Positive(json, "max_position_embeddings", json.RequiredInt("max_position_embeddings")),
            RopeTheta = RopeConfigReader.ReadTheta(json),
            RopeScaling = RopeConfigReader.ReadScaling(json),
            RmsNormEps = json.OptionalDouble("rms_norm_eps") ?? 1e-6,
            TieWordEmbeddings = json.OptionalBool("tie_word_embeddings") ?? false,
            AttentionBias = attentionBias,
            QkNorm = family == ModelFamily.Qwen3,
            BosTokenId = json.OptionalInt("bos_token_id"),
            EosTokenIds = json.OptionalIntOrIntList("eos_token_id") ?? [],
            TorchDtype = json.OptionalString("dtype") ?? json.OptionalString("torch_dtype") ?? "bfloat16",
            Quantization = QuantizationConfigReader.Read(json),
        };
        ModelFootprint.CheckTensorSizes(config, json.FilePath);
        return config;
    }

    /// <summary>Refuses switches the engine does not implement, rather than running a different model.</summary>
    private static void RejectUnsupportedFeatures(JsonFields json)
    {
        var activation = json.OptionalString("hidden_act") ?? "silu";
        if (activation != "silu")
            throw new UserErrorException($"{json.FilePath}: hidden_act \"{activation}\" is not supported (only silu).");
        if (json.OptionalBool("mlp_bias") == true)
            throw new UserErrorException($"{json.FilePath}: mlp_bias=true is not supported.");
        if (json.OptionalBool("use_sliding_window") == true)
            throw new UserErrorException($"{json.FilePath}: use_sliding_window=true is not supported (full attention only).");
        if (json.OptionalStringList("layer_types").FirstOrDefault(t => t != "full_attention") is { } layerType)
            throw new UserErrorException($"{json.FilePath}: layer type \"{layerType}\" is not supported (full_attention only).");
    }

    private static int Positive(JsonFields json, string field, int value) =>
        value > 0 ? value : throw new UserErrorException($"{json.FilePath}: \"{field}\" must be positive, but it is {value}.");
}
