using LlmBench.Gpu.Interop;

namespace LlmBench.Gpu.Monitoring;

/// <summary>
/// One GPU as NVML sees it. Every reading goes through <see cref="Optional{T}"/>: a field this GPU or driver does not
/// offer becomes null (shown as "n/a"), any other failure is an error.
/// </summary>
public sealed unsafe class NvmlGpu
{
    // Drivers before 535 only have the older "throttle reasons" entry point.
    private static bool _useThrottleReasonsName;

    private readonly nint _device;

    internal NvmlGpu(int index, nint device)
    {
        Index = index;
        _device = device;
        Name = ReadString(static (d, b, n) => Nvml.nvmlDeviceGetName(d, b, n));
        Uuid = ReadString(static (d, b, n) => Nvml.nvmlDeviceGetUUID(d, b, n));
        PciBusId = Nvml.nvmlDeviceGetPciInfo_v3(device, out var pci) == NvmlReturn.NVML_SUCCESS
            ? new string((sbyte*)&pci.BusId)
            : "n/a";
    }

    private delegate NvmlReturn StringGetter(nint device, byte* buffer, uint length);

    public int Index { get; }

    public string Name { get; }

    public string Uuid { get; }

    public string PciBusId { get; }

    public NvmlStaticInfo ReadStaticInfo()
    {
        var d = _device;
        var ecc = Optional((out int current) => Nvml.nvmlDeviceGetEccMode(d, out current, out _));
        var mig = Optional((out uint current) => Nvml.nvmlDeviceGetMigMode(d, out current, out _));
        return new NvmlStaticInfo(
            Name,
            Uuid,
            PciBusId,
            Optional((out NvmlMemory m) => Nvml.nvmlDeviceGetMemoryInfo(d, out m)) is { } memory ? (long)memory.TotalBytes : null,
            Optional((out uint mw) => Nvml.nvmlDeviceGetEnforcedPowerLimit(d, out mw)) is { } limit ? limit / 1000.0 : null,
            ToInt(Optional((out uint v) => Nvml.nvmlDeviceGetMaxClockInfo(d, NvmlClockType.NVML_CLOCK_SM, out v))),
            ToInt(Optional((out uint v) => Nvml.nvmlDeviceGetMaxClockInfo(d, NvmlClockType.NVML_CLOCK_MEM, out v))),
            ToInt(Optional((out uint v) => Nvml.nvmlDeviceGetMemoryBusWidth(d, out v))),
            ToInt(Optional((out uint v) => Nvml.nvmlDeviceGetCurrPcieLinkGeneration(d, out v))),
            ToInt(Optional((out uint v) => Nvml.nvmlDeviceGetMaxPcieLinkGeneration(d, out v))),
            ToInt(Optional((out uint v) => Nvml.nvmlDeviceGetCurrPcieLinkWidth(d, out v))),
            ToInt(Optional((out uint v) => Nvml.nvmlDeviceGetMaxPcieLinkWidth(d, out v))),
            ecc is { } e ? e != 0 : null,
            mig is { } g ? g != 0 : null);
    }

    /// <summary>The live state: utilization, memory, temperature, power, energy, clocks, clock-event reasons, pstate.</summary>
    public NvmlReading Read()
    {
        var d = _device;
        var utilization = Optional((out NvmlUtilization u) => Nvml.nvmlDeviceGetUtilizationRates(d, out u));
        var memory = Optional((out NvmlMemory m) => Nvml.nvmlDeviceGetMemoryInfo(d, out m));
        return new NvmlReading(
            utilization is { } u1 ? (int)u1.GpuPercent : null,
            utilization is { } u2 ? (int)u2.MemoryPercent : null,
            memory is { } m1 ? (long)m1.UsedBytes : null,
            memory is { } m2 ? (long)m2.TotalBytes : null,
            ToInt(Optional((out uint t) => Nvml.nvmlDeviceGetTemperature(d, Nvml.NVML_TEMPERATURE_GPU, out t))),
            Optional((out uint mw) => Nvml.nvmlDeviceGetPowerUsage(d, out mw)) is { } power ? power / 1000.0 : null,
            Optional((out ulong mj) => Nvml.nvmlDeviceGetTotalEnergyConsumption(d, out mj)) is { } energy ? (long)energy : null,
            ToInt(Optional((out uint v) => Nvml.nvmlDeviceGetClockInfo(d, NvmlClockType.NVML_CLOCK_SM, out v))),
            ToInt(Optional((out uint v) => Nvml.nvmlDeviceGetClockInfo(d, NvmlClockType.NVML_CLOCK_MEM, out v))),
            ReadClockEventReasons(),
            Optional((out int p) => Nvml.nvmlDeviceGetPerformanceState(d, out p)) is { } pstate and >= 0 and <= 15 ? pstate : null);
    }

    private ClockEventReasons? ReadClockEventReasons()
    {
        var d = _device;
        if (!_useThrottleReasonsName)
        {
            try
            {
                return Optional((out ulong r) => Nvml.nvmlDeviceGetCurrentClocksEventReasons(d, out r)) is { } reasons ? (ClockEventReasons)reasons : null;
            }
            catch (EntryPointNotFoundException)
            {
                _useThrottleReasonsName = true;
            }
        }

        return Optional((out ulong r) => Nvml.nvmlDeviceGetCurrentClocksThrottleReasons(d, out r)) is { } old ? (ClockEventReasons)old : null;
    }

    private delegate NvmlReturn Getter<T>(out T value);

    private static T? Optional<T>(Getter<T> read, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(read))] string call = "")
        where T : struct
    {
        NvmlReturn result;
        T value;
        try
        {
            result = read(out value);
        }
        catch (EntryPointNotFoundException)
        {
            return null; // an older driver without this function: the field is simply not available
        }

        if (NvmlCheck.IsUnavailableField(result))
            return null;
        var start = call.IndexOf("nvml", StringComparison.Ordinal); // the C name inside the lambda
        NvmlCheck.ThrowIfFailed(result, NativeCallName.Of(start >= 0 ? call[start..] : call));
        return value;
    }

    private string ReadString(StringGetter getter)
    {
        var buffer = stackalloc byte[128];
        return getter(_device, buffer, 128) == NvmlReturn.NVML_SUCCESS ? new string((sbyte*)buffer) : "n/a";
    }

    private static int? ToInt(uint? value) => value is { } v ? (int)v : null;
}
