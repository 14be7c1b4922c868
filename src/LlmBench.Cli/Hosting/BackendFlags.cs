using System.CommandLine;

namespace LlmBench.Cli;

/// <summary>
/// The flags that choose which framework a lockstep command (latency, sweep, throughput) measures: --backend and what
/// the other frameworks need (--python and --compile-mode for the Hugging Face worker, --base-url and --launch for an
/// OpenAI-compatible server). Declared here once; docs/FRAMEWORKS.md describes the backends.
/// </summary>
internal sealed class BackendFlags(bool allowList)
{
    public static readonly IReadOnlyList<string> Names = ["llmbench", "llmbench-eager", "hf", "hf-compile", "openai"];

    public Option<string> Backend { get; } = new("--backend")
    {
        Description = "Which framework runs the batches: llmbench (default), llmbench-eager (= --enforce-eager), hf (transformers generate, eager, " +
            "static batches with left padding), hf-compile (a static cache and a torch.compile'd decode step; compile time reported apart), or openai " +
            "(an OpenAI-compatible server at --base-url, lockstep batches of streamed requests with token-id prompts)" +
            (allowList ? "; a comma list (llmbench,llmbench-eager,hf,hf-compile) runs them one after another into one framework × batch-size table." : "."),
        DefaultValueFactory = _ => "llmbench",
    };

    public Option<string> Python { get; } = new("--python") { Description = "hf, hf-compile: the Python that runs the worker; it needs torch (a CUDA build) and transformers.", DefaultValueFactory = _ => "python3" };

    public Option<string> CompileModes { get; } = new("--compile-mode")
    {
        Description = "hf-compile: torch.compile modes to try in order, comma-separated; the first that compiles runs (never an eager fallback) and each point names it.",
        DefaultValueFactory = _ => "reduce-overhead,default",
    };

    public Option<string?> BaseUrl { get; } = new("--base-url") { Description = "openai: the server's base URL, e.g. http://127.0.0.1:8000; --model names the model to ask for (default: the first of /v1/models)." };

    public Option<string?> Launch { get; } = new("--launch") { Description = "openai: start this server command first, wait for /health (up to 240 s), and stop it at the end, as `bench serve --launch` does." };

    public void AddTo(Command command)
    {
        Option[] all = [Backend, Python, CompileModes, BaseUrl, Launch];
        foreach (var option in all)
            command.Options.Add(option);
    }

    /// <summary>The backends asked for, in order; one unless the command takes a list. --enforce-eager turns llmbench into llmbench-eager.</summary>
    public IReadOnlyList<string> Parse(ParseResult p, bool enforceEager)
    {
        var names = (p.GetValue(Backend) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(n => n.ToLowerInvariant()).Distinct().ToArray();
        if (names.Length == 0)
            throw new UserErrorException($"--backend needs a value: {string.Join(", ", Names)}.");
        if (names.FirstOrDefault(n => !Names.Contains(n)) is { } unknown)
            throw new UserErrorException($"--backend takes {string.Join(", ", Names)}{(allowList ? " (or a comma list of them)" : "")}, got '{unknown}'.");
        if (names.Length > 1 && !allowList)
            throw new UserErrorException("--backend takes one backend here; `llmbench sweep` takes a comma list.");
        if (names.Contains("openai") && p.GetValue(BaseUrl) is null)
            throw new UserErrorException("--backend openai needs --base-url (and --launch to start the server).");
        if (p.GetValue(Launch) is not null && !names.Contains("openai"))
            throw new UserErrorException("--launch starts a server for --backend openai; add it or drop --launch.");
        return enforceEager ? names.Select(n => n == "llmbench" ? "llmbench-eager" : n).Distinct().ToArray() : names;
    }

    /// <summary>--compile-mode as a list.</summary>
    public IReadOnlyList<string> CompileModeList(ParseResult p)
    {
        var modes = (p.GetValue(CompileModes) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return modes.Length > 0 ? modes : throw new UserErrorException("--compile-mode needs at least one torch.compile mode, like reduce-overhead,default.");
    }
}
