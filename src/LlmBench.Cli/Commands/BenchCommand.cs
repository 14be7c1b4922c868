using System.CommandLine;

namespace LlmBench.Cli;

/// <summary>`llmbench bench`: benchmarks that drive a server from outside (today: `bench serve`).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks run against a server from outside, as `vllm bench` runs them.");
        bench.Subcommands.Add(BenchServeCommand.Create());
        return bench;
    }
}
