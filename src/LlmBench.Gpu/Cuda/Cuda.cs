using System.Text;
using LlmBench.Gpu.Interop;
using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Gpu;

/// <summary>
/// Entry point to the CUDA driver: loads libcuda, initializes it once, and lists the GPUs. Every failure a person
/// can fix (no driver, no GPU, a driver older than CUDA 12) surfaces as a <see cref="GpuUnavailableException"/>.
/// </summary>
public static class Cuda
{
    /// <summary>CUDA 12.0 as cuDriverGetVersion encodes it: our libraries and kernels need at least this.</summary>
    public const int MinimumDriverVersion = 12000;

    private static readonly Lazy<int> Initialized = new(InitializeOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The CUDA version the driver supports, encoded as 1000 × major + 10 × minor (13000 = 13.0).</summary>
    public static int DriverVersion => Initialized.Value;

    public static string DriverVersionText => FormatVersion(DriverVersion);

    public static string FormatVersion(int encoded) => $"{encoded / 1000}.{encoded % 1000 / 10}";

    public static void Initialize() => _ = Initialized.Value;

    public static int DeviceCount
    {
        get
        {
            Initialize();
            CudaCheck.ThrowIfFailed(CudaDriver.cuDeviceGetCount(out var count));
            return count;
        }
    }

    public static IReadOnlyList<GpuDeviceInfo> ListDevices() => Enumerable.Range(0, DeviceCount).Select(GetDeviceInfo).ToArray();

    public static unsafe GpuDeviceInfo GetDeviceInfo(int ordinal)
    {
        Initialize();
        CudaCheck.ThrowIfFailed(CudaDriver.cuDeviceGet(out var device, ordinal));
        var name = stackalloc byte[256];
        CudaCheck.ThrowIfFailed(CudaDriver.cuDeviceGetName(name, 256, device));
        var pci = stackalloc byte[64];
        CudaCheck.ThrowIfFailed(CudaDriver.cuDeviceGetPCIBusId(pci, 64, device));
        CudaCheck.ThrowIfFailed(CudaDriver.cuDeviceTotalMem_v2(out var totalBytes, device));
        CudaCheck.ThrowIfFailed(CudaDriver.cuDeviceGetUuid_v2(out var uuid, device));
        int Attribute(CudaDeviceAttribute attribute)
        {
            CudaCheck.ThrowIfFailed(CudaDriver.cuDeviceGetAttribute(out var value, attribute, device));
            return value;
        }

        return new GpuDeviceInfo(
            ordinal,
            new string((sbyte*)name),
            FormatUuid(uuid),
            new string((sbyte*)pci),
            new ComputeCapability(
                Attribute(CudaDeviceAttribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                Attribute(CudaDeviceAttribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR)),
            Attribute(CudaDeviceAttribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
            (long)totalBytes,
            Attribute(CudaDeviceAttribute.CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH),
            OptionalAttribute(CudaDeviceAttribute.CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE, device),
            OptionalAttribute(CudaDeviceAttribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE, device),
            Attribute(CudaDeviceAttribute.CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE),
            Attribute(CudaDeviceAttribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN),
            Attribute(CudaDeviceAttribute.CU_DEVICE_ATTRIBUTE_ECC_ENABLED) != 0);
    }

    /// <summary>"GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", the form nvidia-smi and NVML print.</summary>
    internal static string FormatUuid(ReadOnlySpan<byte> bytes)
    {
        var hex = Convert.ToHexStringLower(bytes);
        return $"GPU-{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    // CUDA 13 deprecates the clock attributes; a driver that stops answering them gives "unknown", not an error.
    private static int? OptionalAttribute(CudaDeviceAttribute attribute, int device) =>
        CudaDriver.cuDeviceGetAttribute(out var value, attribute, device) == CudaResult.CUDA_SUCCESS && value > 0 ? value : null;

    private static int InitializeOnce()
    {
        GpuLibraryLoader.Load(GpuLibrary.Cuda);
        CudaCheck.ThrowIfFailed(CudaDriver.cuInit(0));
        CudaCheck.ThrowIfFailed(CudaDriver.cuDriverGetVersion(out var version));
        if (version < MinimumDriverVersion)
        {
            throw new GpuUnavailableException(
                $"The NVIDIA driver supports CUDA {FormatVersion(version)}, but LlmBench needs a driver for CUDA 12.0 or newer (driver 525 or later); update the driver.");
        }

        return version;
    }
}
