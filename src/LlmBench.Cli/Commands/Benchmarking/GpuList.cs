namespace LlmBench.Cli;

/// <summary>Parses --gpus: "all", or comma-separated CUDA ordinals, each once and each present.</summary>
internal static class GpuList
{
    public static int[] Parse(string text, int deviceCount)
    {
        if (string.Equals(text.Trim(), "all", StringComparison.OrdinalIgnoreCase))
            return Enumerable.Range(0, deviceCount).ToArray();
        var ordinals = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, out var i) && i >= 0 && i < deviceCount
                ? i
                : throw new UserErrorException($"--gpus: '{s}' is not a GPU of this machine (it has {deviceCount}: 0 to {deviceCount - 1})."))
            .ToArray();
        if (ordinals.Length == 0)
            throw new UserErrorException("--gpus needs 'all' or at least one GPU ordinal, like 0,1.");
        if (ordinals.Distinct().Count() != ordinals.Length)
            throw new UserErrorException($"--gpus lists a GPU twice: '{text}'.");
        return ordinals;
    }
}
