using LlmBench.Engine;
using LlmBench.Engine.Api;
using LlmBench.Engine.Loading;

namespace LlmBench.Cli;

/// <summary>
/// The seam to the CUDA engine. Until the CUDA executor lands this reports itself unavailable, so auto
/// runs on the CPU and an explicit --device cuda gets one sentence.
/// </summary>
internal static class CudaBackend
{
    /// <summary>True when a usable GPU and the CUDA engine are present; otherwise <paramref name="reason"/> says what is missing.</summary>
    public static bool IsAvailable(int ordinal, out string reason)
    {
        _ = ordinal;
        reason = "this build has no CUDA engine yet";
        return false;
    }

    /// <summary>Creates the CUDA engine on GPU <paramref name="ordinal"/>; <paramref name="description"/> names the GPU.</summary>
    public static IInferenceEngine Create(LoadedModel model, EngineOptions options, int ordinal, out string description)
    {
        _ = model;
        _ = options;
        description = $"cuda:{ordinal}";
        throw new UserErrorException("--device cuda is not available: this build has no CUDA engine yet; use --device cpu.");
    }
}
