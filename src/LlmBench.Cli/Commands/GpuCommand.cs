using System.CommandLine;
using Spectre.Console;

namespace LlmBench.Cli;

/// <summary>`llmbench gpu`: what GPUs this machine has, what they are rated for, and what they are doing now.</summary>
internal static class GpuCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the report as JSON instead of tables." };
        var command = new Command(
            "gpu",
            "List every GPU: name, UUID, compute capability, SMs, memory and its theoretical bandwidth, clocks, power limit, " +
            "pstate, temperature, PCIe link, ECC and MIG mode, driver, CUDA and library versions.")
        {
            Options = { json },
        };
        command.Options.Add(GpuCommandRunner.Verbose);
        command.SetAction((parse, ct) => GpuCommandRunner.RunAsync(parse,
            _ =>
            {
                var report = GpuReport.Collect();
                if (parse.GetValue(json))
                    Console.Out.WriteLine(CliJson.Serialize(report));
                else
                    GpuRendering.Write(AnsiConsole.Console, report);
                return Task.FromResult(0);
            },
            ct));
        return command;
    }
}
