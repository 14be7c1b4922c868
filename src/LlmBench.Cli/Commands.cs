using System.CommandLine;

namespace LlmBench.Cli;

/// <summary>The list of subcommands; each is built by its own file under Commands/.</summary>
internal static class Commands
{
    public static IEnumerable<Command> All()
    {
        yield return GpuCommand.Create();
        yield return PeakCommand.Create();
        yield return MonitorCommand.Create();
        yield return BenchCommand.Create();
        yield return ServeCommand.Create();
        yield return GenerateCommand.Create();
        yield return ThroughputCommand.Create();
        yield return RunCommand.Create();
        yield return ProfileCommand.Create();
        yield return LatencyCommand.Create();
        yield return SweepCommand.Create();
        yield return ReportCommand.Create();
        yield return CompareCommand.Create();
        yield return CostCommand.Create();
        yield break;
    }
}
