using System.CommandLine;

namespace LlmBench.Cli.Tests.Serving;

/// <summary>
/// `llmbench serve ARGS` in this process on 127.0.0.1 port 0, parsed by the real command line and started by the
/// command's own start-up path (EngineHost, the CPU engine, Kestrel), with an HttpClient pointed at it.
/// </summary>
internal sealed class ServeRun : IAsyncDisposable
{
    private ServeRun(ServeHost host, string startupLog)
    {
        Host = host;
        StartupLog = startupLog;
        Http = new HttpClient { BaseAddress = host.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    public ServeHost Host { get; }

    /// <summary>What the command printed on start-up.</summary>
    public string StartupLog { get; }

    public HttpClient Http { get; }

    public Uri BaseUrl => Host.BaseUrl;

    public static async Task<ServeRun> StartAsync(params string[] args)
    {
        var parse = CliApp.BuildRoot().Parse(["serve", .. args, "--port", "0", "--device", "cpu"]);
        Assert.Empty(parse.Errors);
        var (options, specs) = ServeCommand.Bind(parse);
        using var log = new StringWriter();
        var host = await ServeHost.StartAsync(options, specs, log, TestContext.Current.CancellationToken);
        return new ServeRun(host, log.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>Paths under tests/fixtures, found upward from the test binaries so a fresh clone runs them.</summary>
internal static class Fixtures
{
    public static string Directory(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine([dir.FullName, "tests", "fixtures", .. parts]);
            if (System.IO.Directory.Exists(candidate))
                return candidate;
        }

        throw new DirectoryNotFoundException($"tests/fixtures/{string.Join('/', parts)} not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>A Qwen3-shaped model with Qwen3's whole vocabulary on a tiny body, run with dummy weights: text in, text out.</summary>
    public static string WideQwen3 => Directory("serving", "tiny-qwen3-wide");

    /// <summary>transformers' tiny Qwen3 (vocab 1024, no tokenizer) with its greedy continuations in golden.json.</summary>
    public static string GoldenQwen3 => Directory("golden", "tiny-qwen3");
}
