using LlmBench.Benchmarks.Platform;
using LlmBench.Engine;
using LlmBench.Engine.Api;
using LlmBench.Engine.Loading;
using LlmBench.Text.Tokenization;

namespace LlmBench.Cli;

/// <summary>An engine ready to run, with the model it loaded and the tokenizer that goes with it.</summary>
internal sealed class OpenedEngine : IDisposable
{
    public required IInferenceEngine Engine { get; init; }

    public required LoadedModel Model { get; init; }

    /// <summary>Null when the model has no tokenizer of its own and Qwen3's cannot cover its vocabulary (token-id prompts only).</summary>
    public required ByteLevelBpeTokenizer? Tokenizer { get; init; }

    /// <summary>"cpu (16 cores)" or "cuda:0 NVIDIA H100 80GB HBM3".</summary>
    public required string DeviceDescription { get; init; }

    /// <summary>True when the engine runs on a GPU.</summary>
    public required bool OnGpu { get; init; }

    /// <summary>The CUDA ordinal of the GPU it runs on; null on the CPU.</summary>
    public int? GpuOrdinal { get; init; }

    /// <summary>Why auto fell back to the CPU (e.g. "no NVIDIA GPU found"), else null.</summary>
    public string? FallbackReason { get; init; }

    /// <summary>Model load, kernel compile and graph capture, end to end.</summary>
    public required TimeSpan StartupTime { get; init; }

    /// <summary>What the KV cache stores (--kv-cache-dtype; the CPU engine refuses fp8).</summary>
    public KvCacheDtype KvCacheDtype { get; init; }

    /// <summary>How the layers' linear weights are stored (--quantization, auto resolved by the engine: fp8 for an fp8 checkpoint on a GPU that runs it).</summary>
    public WeightQuantization Quantization { get; init; }

    /// <summary>What result records say about this engine.</summary>
    public EngineUnderTest UnderTest => new(Model, DeviceDescription, OnGpu ? GpuOrdinal : null, FallbackReason, StartupTime)
    {
        KvBytesPerElement = KvCacheDtype.IsFp8() ? 1 : 2,
        Fp8LayerWeights = Quantization == WeightQuantization.Fp8,
    };

    public void Dispose()
    {
        Engine.Dispose();
        Model.Dispose();
    }
}
