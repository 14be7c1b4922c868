namespace LlmBench.Gpu.Monitoring;

/// <summary>Why the GPU's clocks are below their maximum (nvmlClocksEventReasons, formerly "throttle reasons").</summary>
[Flags]
public enum ClockEventReasons : ulong
{
    None = 0,
    GpuIdle = 0x1,
    ApplicationsClocksSetting = 0x2,
    SoftwarePowerCap = 0x4,
    HardwareSlowdown = 0x8,
    SyncBoost = 0x10,
    SoftwareThermalSlowdown = 0x20,
    HardwareThermalSlowdown = 0x40,
    HardwarePowerBrakeSlowdown = 0x80,
    DisplayClockSetting = 0x100,
}

public static class ClockEventReasonsExtensions
{
    /// <summary>Each single reason, in bit order, for per-reason statistics and CSV columns.</summary>
    public static IReadOnlyList<ClockEventReasons> All { get; } =
        Enum.GetValues<ClockEventReasons>().Where(r => r != ClockEventReasons.None).ToArray();

    /// <summary>Short names for tables: "idle", "sw-power", "hw-thermal"...</summary>
    public static string ShortName(this ClockEventReasons reason) => reason switch
    {
        ClockEventReasons.GpuIdle => "idle",
        ClockEventReasons.ApplicationsClocksSetting => "app-clocks",
        ClockEventReasons.SoftwarePowerCap => "sw-power",
        ClockEventReasons.HardwareSlowdown => "hw-slowdown",
        ClockEventReasons.SyncBoost => "sync-boost",
        ClockEventReasons.SoftwareThermalSlowdown => "sw-thermal",
        ClockEventReasons.HardwareThermalSlowdown => "hw-thermal",
        ClockEventReasons.HardwarePowerBrakeSlowdown => "power-brake",
        ClockEventReasons.DisplayClockSetting => "display",
        _ => reason.ToString(),
    };

    /// <summary>"sw-power+hw-thermal", or "none".</summary>
    public static string Describe(this ClockEventReasons reasons) =>
        reasons == ClockEventReasons.None ? "none" : string.Join('+', All.Where(r => reasons.HasFlag(r)).Select(ShortName));
}
