using LlmBench.Gpu.Interop;
using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Gpu.Monitoring;

/// <summary>
/// An initialized NVML: the driver's management library, which reports what CUDA does not (power, temperature,
/// clocks, throttling, energy). Open one for as long as you read; sessions may nest.
/// </summary>
public sealed unsafe class NvmlSession : IDisposable
{
    private readonly NvmlInitHandle _init;

    private NvmlSession(NvmlInitHandle init) => _init = init;

    /// <summary>Loads libnvidia-ml and initializes it; a missing library or driver is a <see cref="GpuUnavailableException"/>.</summary>
    public static NvmlSession Open()
    {
        GpuLibraryLoader.Load(GpuLibrary.Nvml);
        return new NvmlSession(NvmlInitHandle.Initialize());
    }

    /// <summary>Like <see cref="Open"/>, but gives the reason as text where NVML can't be used, for callers that can do without it.</summary>
    public static NvmlSession? TryOpen(out string? problem)
    {
        try
        {
            problem = null;
            return Open();
        }
        catch (GpuUnavailableException ex)
        {
            problem = ex.Message;
            return null;
        }
        catch (NvmlException ex)
        {
            problem = ex.Message;
            return null;
        }
    }

    /// <summary>The kernel driver's version, e.g. "580.159.04".</summary>
    public string DriverVersion
    {
        get
        {
            var buffer = stackalloc byte[96];
            NvmlCheck.ThrowIfFailed(Nvml.nvmlSystemGetDriverVersion(buffer, 96));
            return new string((sbyte*)buffer);
        }
    }

    /// <summary>The CUDA version the driver supports, as 1000 × major + 10 × minor.</summary>
    public int? CudaDriverVersion =>
        Nvml.nvmlSystemGetCudaDriverVersion_v2(out var version) == NvmlReturn.NVML_SUCCESS ? version : null;

    public int DeviceCount
    {
        get
        {
            NvmlCheck.ThrowIfFailed(Nvml.nvmlDeviceGetCount_v2(out var count));
            return (int)count;
        }
    }

    public NvmlGpu GetDevice(int index)
    {
        ObjectDisposedException.ThrowIf(_init.IsClosed, this);
        NvmlCheck.ThrowIfFailed(Nvml.nvmlDeviceGetHandleByIndex_v2((uint)index, out var device));
        return new NvmlGpu(index, device);
    }

    public IReadOnlyList<NvmlGpu> GetDevices() => Enumerable.Range(0, DeviceCount).Select(GetDevice).ToArray();

    /// <summary>The NVML view of a CUDA device: CUDA and NVML may number GPUs differently, their UUIDs agree.</summary>
    public NvmlGpu? FindByUuid(string uuid) => GetDevices().FirstOrDefault(g => string.Equals(g.Uuid, uuid, StringComparison.OrdinalIgnoreCase));

    public void Dispose() => _init.Dispose();
}
