using LlmBench.Gpu.Monitoring;

namespace LlmBench.Telemetry.Tests;

internal static class Readings
{
    public static NvmlReading Make(
        double? powerWatts = 100, long? energyMillijoules = null, int? util = 50, ClockEventReasons? reasons = ClockEventReasons.None, int? temperature = 60) =>
        new(util, 20, 4L << 30, 80L << 30, temperature, powerWatts, energyMillijoules, 1980, 2619, reasons, 0);

    public static GpuSample At(double seconds, NvmlReading reading, int gpu = 0) =>
        new(gpu, DateTimeOffset.UnixEpoch.AddSeconds(seconds), seconds, reading);
}
