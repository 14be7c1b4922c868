namespace LlmBench.Cli.Tests.Serving;

/// <summary>One `llmbench serve` of the wide-vocabulary test model (dummy weights, built-in Qwen3 tokenizer), shared by a test class.</summary>
public sealed class WideModelServer : IAsyncLifetime
{
    public const string Model = "tiny-qwen3-wide";

    internal ServeRun Run { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Run = await ServeRun.StartAsync(Fixtures.WideQwen3, "--load-format", "dummy", "--served-model-name", Model,
            "--max-model-len", "512", "--max-num-seqs", "16", "--max-num-batched-tokens", "1024");

    public ValueTask DisposeAsync() => Run.DisposeAsync();
}
