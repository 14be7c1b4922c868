using LlmBench.Engine;
using LlmBench.Engine.Loading;

namespace LlmBench.Cli;

/// <summary>What a command asks for: the model, how to load it, the device (auto, cpu, cuda, cuda:N) and the engine's options.</summary>
internal sealed record EngineSpec
{
    public required string Model { get; init; }

    public LoadFormat Format { get; init; } = LoadFormat.Auto;

    /// <summary>auto (cuda when a usable GPU and the CUDA engine are present, else cpu), cpu, cuda, or cuda:N.</summary>
    public string Device { get; init; } = "auto";

    public EngineOptions Options { get; init; } = new();

    /// <summary>Seed of dummy weights.</summary>
    public ulong DummySeed { get; init; }

    /// <summary>Parses --load-format: auto, safetensors, or dummy.</summary>
    public static LoadFormat ParseFormat(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => LoadFormat.Auto,
        "safetensors" => LoadFormat.Safetensors,
        "dummy" => LoadFormat.Dummy,
        _ => throw new UserErrorException($"--load-format must be auto, safetensors or dummy, got '{text}'."),
    };
}
