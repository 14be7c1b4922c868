using System.CommandLine;
using LlmBench.Reports.Results;

namespace LlmBench.Cli;

/// <summary>A result's configuration from the command that made it: its argv, seed and build; the engine's options are added once it is open.</summary>
internal static class CommandConfiguration
{
    public static ResultConfiguration From(ParseResult p, decimal seed) =>
        new(["llmbench", .. p.Tokens.Select(t => t.Value)], new Dictionary<string, string>(), seed, BuildInfo.GitCommit, CliApp.VersionText);
}
