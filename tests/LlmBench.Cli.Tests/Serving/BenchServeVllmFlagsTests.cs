using System.Text.Json;

namespace LlmBench.Cli.Tests.Serving;

/// <summary>
/// A `vllm bench serve` command line with vLLM's less common flags, run by `llmbench bench serve` unchanged against
/// `llmbench serve` on the CPU engine: the server computes the asked log probabilities and honours min_p, the result
/// keeps vLLM's detailed arrays and appends as vLLM's --append-result does.
/// </summary>
[Collection(ConsoleCapture.Name)]
public sealed class BenchServeVllmFlagsTests(WideModelServer server) : IClassFixture<WideModelServer>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("llmbench-vllm-flags-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("vllm")]
    [InlineData("openai-chat")]
    public async Task A_vllm_command_line_with_its_other_flags_runs_unchanged_and_appends_detailed_results(string backend)
    {
        // --model names the tokenizer (a directory here), --served-model-name what the server is asked for, as in vLLM.
        string[] args =
        [
            "bench", "serve", "--backend", backend, "--base-url", server.Run.BaseUrl.ToString(), "--model", Fixtures.WideQwen3,
            "--served-model-name", WideModelServer.Model, "--trust-remote-code", "--dataset-name", "random", "--num-prompts", "3",
            "--random-input-len", "12", "--random-output-len", "3", "--logprobs", "2", "--min-p", "0.05", "--temperature", "0.8",
            "--header", "x-bench-run=7", "--request-id-prefix", "flags-", "--disable-tqdm", "--save-detailed", "--append-result",
            "--result-dir", _folder, "--result-filename", "runs.json",
        ];

        var (first, _, firstError) = await ConsoleCapture.RunAsync(args);
        var (second, _, _) = await ConsoleCapture.RunAsync(args);

        Assert.True(first == 0, firstError);
        Assert.Equal(0, second);
        Assert.Contains("note: --trust-remote-code has no effect here", firstError, StringComparison.Ordinal);
        Assert.Equal(["runs.json"], Directory.GetFiles(_folder).Select(Path.GetFileName));
        var lines = File.ReadAllLines(Path.Combine(_folder, "runs.json"));
        Assert.Equal(2, lines.Length);
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            Assert.Equal(backend, root.GetProperty("backend").GetString());
            Assert.Equal(3, root.GetProperty("completed").GetInt32());
            Assert.Equal(0, root.GetProperty("failed").GetInt32());
            Assert.Equal(3, root.GetProperty("input_lens").GetArrayLength());
            Assert.All(root.GetProperty("output_lens").EnumerateArray(), e => Assert.Equal(3, e.GetInt32()));
            Assert.All(root.GetProperty("ttfts").EnumerateArray(), e => Assert.InRange(e.GetDouble(), 1e-6, 60));
            // A chat stream opens with the role chunk, which carries choices: one gap more, as vLLM counts it.
            Assert.All(root.GetProperty("itls").EnumerateArray(), e => Assert.Equal(backend == "openai-chat" ? 3 : 2, e.GetArrayLength()));
            Assert.All(root.GetProperty("errors").EnumerateArray(), e => Assert.Equal("", e.GetString()));
            Assert.Equal(3, root.GetProperty("generated_texts").GetArrayLength());
        }
    }

    [Fact]
    public async Task Bench_throughput_and_latency_are_the_top_level_commands_under_vllms_names()
    {
        foreach (var name in new[] { "throughput", "latency" })
        {
            var (exit, output, _) = await ConsoleCapture.RunAsync("bench", name, "--help");
            var (_, topLevel, _) = await ConsoleCapture.RunAsync(name, "--help");
            Assert.Equal(0, exit);
            Assert.Contains("--max-num-seqs", output, StringComparison.Ordinal);
            Assert.Contains("--trust-remote-code", output, StringComparison.Ordinal);
            Assert.Contains($"bench {name} [options]", output, StringComparison.Ordinal);
            // The same options with the same help: everything from "Options:" on is identical.
            Assert.Equal(topLevel[topLevel.IndexOf("Options:", StringComparison.Ordinal)..], output[output.IndexOf("Options:", StringComparison.Ordinal)..]);
        }
    }
}
