using LlmBench.Engine.Models;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Loading;

/// <summary>
/// Resolves --model and opens its weights. A name is tried as (1) a directory, (2) a repo id (a
/// preset's name stands for its repo) in the local Hugging Face cache, (3) a built-in preset, in
/// that order; the load format then decides between the safetensors found and dummy weights.
/// </summary>
public static class ModelLoader
{
    public static LoadedModel Load(ModelLoadOptions options)
    {
        var model = options.Model.Trim();
        if (model.Length == 0)
            throw new UserErrorException("--model is empty; pass a model directory, a Hugging Face repo id, or a preset (" + ModelPresets.NameList + ").");

        if (Directory.Exists(model))
            return FromDirectory(model, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(model))), preset: null, options);

        var preset = ModelPresets.Find(model);
        var repoId = HuggingFaceCache.IsRepoId(model) ? model : preset?.RepoId;
        var hub = options.Environment.HubCacheDirectory;
        if (repoId is not null && hub is not null && HuggingFaceCache.FindSnapshot(hub, repoId) is { } snapshot)
            return FromDirectory(snapshot, RepoName(repoId), preset, options);

        if (preset is not null)
            return FromPreset(preset, options, WhereLooked(hub, preset.RepoId));

        throw new UserErrorException(NotFoundMessage(model, repoId, hub));
    }

    private static LoadedModel FromDirectory(string directory, string name, ModelPreset? preset, ModelLoadOptions options)
    {
        var config = ModelConfigReader.ReadDirectory(directory);
        if (options.Format == LoadFormat.Dummy)
            return Dummy(config, name, directory, preset, options, notice: null);

        var weightsFile = SafetensorsDirectory.FindWeightsFile(directory);
        if (weightsFile is null)
        {
            if (options.Format == LoadFormat.Auto && preset is not null)
                return Dummy(config, name, directory, preset, options,
                    $"{directory} has no safetensors weights, so {name} runs with dummy weights.");
            throw new UserErrorException(
                $"{directory} has no {SafetensorsDirectory.SingleFileName} or {SafetensorsDirectory.IndexFileName}; download the weights or pass --load-format dummy to run with random ones.");
        }

        var stored = SafetensorsDirectory.Open(weightsFile);
        ITensorSource weights;
        try
        {
            weights = QuantizedCheckpoint.Open(config, stored, weightsFile);
            ModelTensorLayout.Validate(config, weights, weightsFile);
        }
        catch
        {
            stored.Dispose();
            throw;
        }

        return new LoadedModel
        {
            Config = config,
            Weights = weights,
            IsDummy = false,
            Name = name,
            Description = config.Quantization is { } q ? $"{name} ({weightsFile}; {q.Description}, dequantized at load)" : $"{name} ({weightsFile})",
            ModelDirectory = directory,
            Preset = preset,
        };
    }

    private static LoadedModel FromPreset(ModelPreset preset, ModelLoadOptions options, string whereLooked)
    {
        if (options.Format == LoadFormat.Safetensors)
            throw new UserErrorException(
                $"No weights for {preset.Name} ({preset.RepoId}) in {whereLooked}; download them (hf download {preset.RepoId}) or pass --load-format dummy.");
        var notice = options.Format == LoadFormat.Auto
            ? $"{preset.RepoId} is not in {whereLooked}, so {preset.DisplayName} runs with dummy weights."
            : null;
        return Dummy(preset.Config, preset.DisplayName, directory: null, preset, options, notice);
    }

    private static LoadedModel Dummy(ModelConfig config, string name, string? directory, ModelPreset? preset, ModelLoadOptions options, string? notice) =>
        new()
        {
            Config = config,
            Weights = new DummyTensorSource(config, options.DummySeed),
            IsDummy = true,
            Name = name,
            Description = $"{name} (dummy weights)",
            ModelDirectory = directory,
            Preset = preset,
            Notice = notice,
        };

    private static string RepoName(string repoId) => repoId[(repoId.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private static string WhereLooked(string? hub, string repoId) =>
        hub is null ? "the Hugging Face cache (no HF_HOME and no home directory)" : HuggingFaceCache.RepoDirectory(hub, repoId);

    private static string NotFoundMessage(string model, string? repoId, string? hub)
    {
        var cache = repoId is null
            ? "not a Hugging Face repo id (Org/Name)"
            : $"not downloaded to {WhereLooked(hub, repoId)}";
        return $"Cannot find the model \"{model}\": it is not a directory, {cache}, and not a built-in preset ({ModelPresets.NameList}); "
            + "pass a model directory or a downloaded repo id, or run a preset with --load-format dummy.";
    }
}
