using LlmBench.Engine;
using LlmBench.Engine.Api;
using LlmBench.Engine.Cuda;
using LlmBench.Engine.Cuda.Profiling;
using LlmBench.Engine.Loading;

namespace LlmBench.Cli;

/// <summary>The seam to the CUDA engine (LlmBench.Engine.Cuda), kept so the hosting code does not name its types.</summary>
internal static class CudaBackend
{
    /// <summary>True when the driver, GPU <paramref name="ordinal"/>, NVRTC and cuBLASLt are present; otherwise <paramref name="reason"/> says what is missing.</summary>
    public static bool IsAvailable(int ordinal, out string reason) => CudaEngine.IsAvailable(ordinal, out reason);

    /// <summary>Creates the CUDA engine on GPU <paramref name="ordinal"/>; <paramref name="description"/> names it ("cuda:0 NVIDIA H100 80GB HBM3").</summary>
    public static IInferenceEngine Create(LoadedModel model, EngineOptions options, int ordinal, out string description) =>
        CudaEngine.Create(model, options, ordinal, out description);

    /// <summary>The step profiler on GPU <paramref name="ordinal"/> (see <see cref="CudaStepProfiler"/>).</summary>
    public static ProfileRun Profile(LoadedModel model, EngineOptions options, int ordinal, ProfileRequest request, Action<string> progress, CancellationToken cancel) =>
        CudaStepProfiler.Run(model, options, ordinal, request, progress: progress, cancel: cancel);
}
