using System.Runtime.InteropServices;
using LlmBench.Reports.Offline;

namespace LlmBench.Benchmarks.Platform;

/// <summary>The platform part of every result: versions of everything that could change a number.</summary>
public static class PlatformProbe
{
    public static PlatformInfo Describe(EngineUnderTest engine, GpuIdentity? gpu, string llmbenchVersion) => new(
        llmbenchVersion,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        CpuName(),
        Environment.ProcessorCount,
        engine.DeviceDescription,
        engine.OnGpu,
        engine.FallbackReason is null ? null : $"no GPU engine: {engine.FallbackReason}",
        gpu?.Name,
        gpu?.DriverVersion,
        gpu?.CudaVersion);

    public static ModelInfo Model(EngineUnderTest engine) =>
        new(engine.Model.Name, engine.Model.Description, engine.Model.IsDummy, engine.Model.Notice);

    /// <summary>"model name" from /proc/cpuinfo on Linux, else the architecture.</summary>
    private static string CpuName()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null && line.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
                    return line[(colon + 1)..].Trim();
            }
        }
        catch (IOException)
        {
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>Local time as vLLM stamps its results, "yyyyMMdd-HHmmss".</summary>
    public static string Stamp(DateTimeOffset when) => when.ToLocalTime().ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
}
