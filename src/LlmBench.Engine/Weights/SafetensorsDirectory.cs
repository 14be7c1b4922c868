namespace LlmBench.Engine.Weights;

/// <summary>Finds the weights of a Hugging Face model directory: a sharded index first, else one model.safetensors.</summary>
public static class SafetensorsDirectory
{
    public const string SingleFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    /// <summary>The index or single file holding the directory's weights, or null when it has neither.</summary>
    public static string? FindWeightsFile(string directory)
    {
        var index = Path.Combine(directory, IndexFileName);
        if (File.Exists(index))
            return index;
        var single = Path.Combine(directory, SingleFileName);
        return File.Exists(single) ? single : null;
    }

    /// <summary>Opens the directory's weights, or returns null when it has none.</summary>
    public static IMappedTensorSource? TryOpen(string directory) =>
        FindWeightsFile(directory) is { } path ? Open(path) : null;

    /// <summary>Opens a weights file <see cref="FindWeightsFile"/> found: a shard index or a single file.</summary>
    public static IMappedTensorSource Open(string weightsFile) =>
        weightsFile.EndsWith(".index.json", StringComparison.Ordinal)
            ? ShardedSafetensors.Open(weightsFile)
            : SafetensorsFile.Open(weightsFile);
}
