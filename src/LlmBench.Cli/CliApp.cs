using System.CommandLine;
using System.Reflection;

namespace LlmBench.Cli;

/// <summary>Builds the `llmbench` command tree. Each command lives in its own file under Commands/.</summary>
public static class CliApp
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "llmbench: measures how fast a GPU runs LLM inference, with its own engine (Qwen3, Qwen2/2.5, Llama) on CUDA, " +
            "or on the CPU where no GPU is present.");
        foreach (var command in Commands.All())
            root.Subcommands.Add(command);
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        return await parse.InvokeAsync();
    }

    /// <summary>"0.1.0+&lt;commit&gt;" from the informational version stamped at build time.</summary>
    public static string VersionText =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
