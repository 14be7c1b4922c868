using System.Runtime.InteropServices;
using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Gpu.Interop;

/// <summary>
/// NVML (libnvidia-ml.so.1), declared with the names of nvml.h. nvmlDevice_t values are owned by NVML and
/// live until nvmlShutdown, so they stay plain pointers; the init/shutdown pair is owned by <see cref="NvmlInitHandle"/>.
/// </summary>
internal static unsafe partial class Nvml
{
    public const int NVML_TEMPERATURE_GPU = 0;

    static Nvml() => GpuLibraryLoader.EnsureResolverRegistered();

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlInit_v2();

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlShutdown();

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial nint nvmlErrorString(NvmlReturn result);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlSystemGetDriverVersion(byte* version, uint length);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlSystemGetCudaDriverVersion_v2(out int cudaDriverVersion);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetCount_v2(out uint deviceCount);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetHandleByIndex_v2(uint index, out nint device);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport, StringMarshalling = StringMarshalling.Utf8)]
    public static partial NvmlReturn nvmlDeviceGetHandleByUUID(string uuid, out nint device);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetName(nint device, byte* name, uint length);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetUUID(nint device, byte* uuid, uint length);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetPciInfo_v3(nint device, out NvmlPciInfo pci);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetMemoryInfo(nint device, out NvmlMemory memory);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetUtilizationRates(nint device, out NvmlUtilization utilization);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetTemperature(nint device, int sensorType, out uint temperatureC);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetPowerUsage(nint device, out uint powerMilliwatts);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetEnforcedPowerLimit(nint device, out uint limitMilliwatts);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetTotalEnergyConsumption(nint device, out ulong energyMillijoules);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetClockInfo(nint device, NvmlClockType type, out uint clockMHz);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetMaxClockInfo(nint device, NvmlClockType type, out uint clockMHz);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetCurrentClocksEventReasons(nint device, out ulong reasons);

    // The name before driver 535; kept as the fallback for older drivers.
    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetCurrentClocksThrottleReasons(nint device, out ulong reasons);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetCurrPcieLinkGeneration(nint device, out uint generation);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetCurrPcieLinkWidth(nint device, out uint width);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetMaxPcieLinkGeneration(nint device, out uint generation);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetMaxPcieLinkWidth(nint device, out uint width);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetEccMode(nint device, out int current, out int pending);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetMigMode(nint device, out uint current, out uint pending);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetPerformanceState(nint device, out int pState);

    [LibraryImport(GpuLibraryDescriptor.NvmlImport)]
    public static partial NvmlReturn nvmlDeviceGetMemoryBusWidth(nint device, out uint busWidthBits);
}
