using System.CommandLine;

namespace LlmBench.Cli;

/// <summary>
/// `llmbench bench`: benchmarks as `vllm bench` names them. `bench serve` drives a server from outside; `bench throughput`
/// and `bench latency` are the top-level `throughput` and `latency` commands under vLLM's names, so `vllm bench …` lines
/// run with `llmbench` in front.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks as `vllm bench` runs them: serve (against a server), throughput and latency (the same as `llmbench throughput` and `llmbench latency`).");
        bench.Subcommands.Add(BenchServeCommand.Create());
        bench.Subcommands.Add(ThroughputCommand.Create());
        bench.Subcommands.Add(LatencyCommand.Create());
        return bench;
    }
}
