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
        if (parse.Errors.Count == 0)
            return await parse.InvokeAsync();

        // The error and a one-line hint; the full help would scroll the error away.
        if (parse.Action is System.CommandLine.Invocation.ParseErrorAction errorAction)
            errorAction.ShowHelp = false;
        var code = await parse.InvokeAsync();
        await Console.Error.WriteLineAsync(HelpHint(parse));
        return code;
    }

    /// <summary>"Run `llmbench serve --help` for its options." for the command the parse reached.</summary>
    public static string HelpHint(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command.Name);
        names[0] = "llmbench";
        return $"Run `{string.Join(' ', names)} --help` for {(names.Count > 1 ? "its" : "the commands and")} options.";
    }

    /// <summary>"0.1.0+&lt;commit&gt;" from the informational version stamped at build time.</summary>
    public static string VersionText =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
