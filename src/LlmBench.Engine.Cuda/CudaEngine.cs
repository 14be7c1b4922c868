using LlmBench.Engine.Loading;
using LlmBench.Gpu;

namespace LlmBench.Engine.Cuda;

/// <summary>Builds an <see cref="LlmEngine"/> on the CUDA backend.</summary>
public static class CudaEngine
{
    /// <summary>
    /// True when the driver, a supported GPU <paramref name="ordinal"/> and the CUDA libraries (NVRTC, cuBLASLt) are
    /// present; otherwise <paramref name="reason"/> says what is missing.
    /// </summary>
    public static bool IsAvailable(int ordinal, out string reason)
    {
        try
        {
            using var device = GpuDevice.Open(ordinal);
            _ = Gpu.Compilation.KernelCompiler.NvrtcVersion;
            _ = Gpu.Blas.CublasLtContext.LibraryVersion;
            reason = string.Empty;
            return true;
        }
        catch (GpuException ex)
        {
            reason = ex.Message;
            return false;
        }
    }

    /// <summary>
    /// Opens GPU <paramref name="ordinal"/>, sizes the KV cache from --gpu-memory-utilization after weights and
    /// activations, and returns the engine; <paramref name="description"/> names the device ("cuda:0 NVIDIA H100 80GB HBM3").
    /// Bad options or a model that does not fit throw <see cref="UserErrorException"/> before weights are uploaded.
    /// </summary>
    public static LlmEngine Create(LoadedModel model, EngineOptions options, int ordinal, out string description, CudaExecutorSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
#pragma warning disable CA2000 // LlmEngine.CreateWarmedUp below owns it (disposes it on its own failure)
        var executor = OpenExecutor(model, options, ordinal, settings);
#pragma warning restore CA2000
        description = executor.Description;
        return LlmEngine.CreateWarmedUp(executor.Options, executor);
    }

    /// <summary>
    /// Opens GPU <paramref name="ordinal"/> and builds the executor that owns it (memory planned first, so bad options
    /// and a model that does not fit are a <see cref="UserErrorException"/> before any upload). The caller owns the
    /// executor: hand it to <see cref="LlmEngine.CreateWarmedUp"/>, which disposes it on failure.
    /// </summary>
    internal static CudaModelExecutor OpenExecutor(LoadedModel model, EngineOptions options, int ordinal, CudaExecutorSettings? settings)
    {
        GpuDevice device;
        try
        {
#pragma warning disable CA2000 // disposed below if the executor fails; otherwise the executor owns it (ownsDevice: true)
            device = GpuDevice.Open(ordinal);
#pragma warning restore CA2000
        }
        catch (GpuUnavailableException ex)
        {
            throw new UserErrorException($"--device cuda:{ordinal} is not usable: {ex.Message}", ex);
        }
        CudaModelExecutor executor;
        try
        {
#pragma warning disable CA2000 // returned to the caller, who owns it from here
            executor = new CudaModelExecutor(device, model.Config, model.Weights, options, settings, ownsDevice: true);
#pragma warning restore CA2000
        }
        catch
        {
            device.Dispose();
            throw;
        }
        return executor;
    }
}
