using System.Runtime.InteropServices;
using LlmBench.Reports.Offline;

namespace LlmBench.Cli;

/// <summary>The platform part of every result: versions of everything that could change a number.</summary>
internal static class PlatformProbe
{
    public static PlatformInfo Describe(OpenedEngine engine, GpuIdentity? gpu, string? deviceNote) =>
        Describe(engine.DeviceDescription, engine.OnGpu, gpu, deviceNote);

    public static PlatformInfo Describe(string deviceDescription, bool onGpu, GpuIdentity? gpu, string? deviceNote) => new(
        CliApp.VersionText,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        CpuName(),
        Environment.ProcessorCount,
        deviceDescription,
        onGpu,
        deviceNote,
        gpu?.Name,
        gpu?.DriverVersion,
        gpu?.CudaVersion);

    public static ModelInfo Model(OpenedEngine engine) =>
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
