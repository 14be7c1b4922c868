using System.Diagnostics;

namespace LlmBench.LoadGen.Runner;

/// <summary>This process's CPU time over a wall-clock interval, as a fraction of all the machine's cores.</summary>
internal sealed class CpuMeter
{
    private readonly TimeSpan _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly long _wallStart = Stopwatch.GetTimestamp();

    public double Utilization()
    {
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpuStart).TotalSeconds;
        var wall = Stopwatch.GetElapsedTime(_wallStart).TotalSeconds;
        return wall <= 0 ? 0 : cpu / (wall * Environment.ProcessorCount);
    }
}
