
namespace LlmBench.Cli.Tests.Serving;

/// <summary>What `llmbench serve` says when it starts, and how it refuses what it cannot serve.</summary>
public class ServeStartupTests
{
    [Fact]
    public async Task Says_plainly_that_the_weights_are_dummy_and_where_it_runs()
    {
        await using var run = await ServeRun.StartAsync(Fixtures.WideQwen3, "--load-format", "dummy", "--served-model-name", "wide");
        var lines = run.StartupLog.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Contains(lines, l => l.StartsWith("note:", StringComparison.Ordinal) && l.Contains("dummy weights", StringComparison.Ordinal));
        Assert.StartsWith($"Serving wide (tiny-qwen3-wide (dummy weights)) on {run.BaseUrl}", lines[^1], StringComparison.Ordinal);
        Assert.Contains("with cpu", lines[^1], StringComparison.Ordinal);
        Assert.Contains("max model length 1024", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engine_flags_reach_the_engine()
    {
        await using var run = await ServeRun.StartAsync(Fixtures.WideQwen3, "--load-format", "dummy", "--max-model-len", "96");
        Assert.Equal(96, run.Host.Opened.Engine.MaxModelLength);
        Assert.Equal(96, run.Host.Server.State.MaxModelLength);
    }

    [Fact]
    public async Task A_model_directory_without_weights_needs_dummy_in_one_sentence()
    {
        var ex = await Assert.ThrowsAsync<UserErrorException>(() => ServeRun.StartAsync(Fixtures.WideQwen3));
        Assert.Contains("--load-format dummy", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batched_tokens_below_max_num_seqs_is_a_user_error()
    {
        var ex = await Assert.ThrowsAsync<UserErrorException>(() =>
            ServeRun.StartAsync(Fixtures.WideQwen3, "--load-format", "dummy", "--max-num-seqs", "64", "--max-num-batched-tokens", "32"));
        Assert.Contains("--max-num-batched-tokens", ex.Message, StringComparison.Ordinal);
    }
}
