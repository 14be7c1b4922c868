using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace LlmBench.Cli.Tests.Serving;

/// <summary>`serve --data-parallel-size N`: N engines behind one endpoint, on the CPU here; the devices each engine takes, and the refusals.</summary>
public class ServeDataParallelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_cpu_engines_answer_behind_one_endpoint_and_a_busy_engine_sends_the_next_request_to_the_other()
    {
        await using var run = await ServeRun.StartAsync(Fixtures.WideQwen3, "--load-format", "dummy", "--data-parallel-size", "2", "--max-model-len", "1024", "--max-num-seqs", "4");
        var engines = run.Host.Server.State.Engines;
        Assert.Equal(2, run.Host.Engines.Count);
        Assert.Contains("with 2 engines (data parallel, each request to the least-loaded): 0 on cpu", run.StartupLog, StringComparison.Ordinal);

        using (var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = run.BaseUrl })
        using (var request = new HttpRequestMessage(HttpMethod.Post, "v1/completions"))
        {
            // A long stream holds engine 0: the whole completion that follows goes to engine 1.
            request.Content = JsonContent.Create(new { prompt = "Tell me a long story", max_tokens = 1000, ignore_eos = true, stream = true });
            using var stream = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
            // The engine's own counters move once per step: wait for the step that admitted the stream.
            var admitted = Stopwatch.StartNew();
            while (engines[0].Stats.RunningRequests == 0 && admitted.Elapsed < TimeSpan.FromSeconds(10))
                await Task.Delay(5, Ct);
            Assert.Equal(1, engines[0].Stats.RunningRequests);

            using var response = await run.Http.PostAsJsonAsync("v1/completions", new { prompt = "Hello", max_tokens = 5, ignore_eos = true }, Ct);
            response.EnsureSuccessStatusCode();
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
            Assert.Equal(5, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
            Assert.Equal(5, engines[1].Stats.GenerationTokensTotal);
        }

        // The client left: engine 0 frees its KV cache, engine 1 was never touched by that request.
        var clock = Stopwatch.StartNew();
        while ((engines[0].Stats.RunningRequests > 0 || engines[0].Stats.KvCacheUsage > 0) && clock.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(20, Ct);
        Assert.Equal(0, engines[0].Stats.KvCacheUsage);
        var metrics = await run.Http.GetStringAsync("metrics", Ct);
        var labels = $"model_name=\"{Fixtures.WideQwen3}\"";
        Assert.Contains($"vllm:request_success_total{{{labels},engine=\"1\",finished_reason=\"length\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Contains($"vllm:request_success_total{{{labels},engine=\"0\",finished_reason=\"length\"}} 0", metrics, StringComparison.Ordinal);
        Assert.Contains($"vllm:generation_tokens_total{{{labels},engine=\"1\"}} 5", metrics, StringComparison.Ordinal);
        Assert.Contains($"vllm:num_requests_running{{{labels}}} 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public void The_short_flag_binds_one_engine_spec_per_engine()
    {
        var (_, specs) = ServeCommand.Bind(CliApp.BuildRoot().Parse(["serve", "qwen3-0.6b", "--device", "cpu", "-dp", "3", "--max-num-seqs", "2"]));

        Assert.Equal(3, specs.Count);
        Assert.All(specs, s => Assert.Equal("cpu", s.Device));
        Assert.All(specs, s => Assert.Equal(2, s.Options.MaxNumSeqs));
    }

    [Fact]
    public void Engine_i_takes_cuda_i_and_more_engines_than_gpus_is_refused_in_one_sentence()
    {
        Assert.Equal(["cuda:0", "cuda:1"], DataParallelDevices.For(2, "auto", onGpu: true, () => 2));
        Assert.Equal(["cuda:0", "cuda:1", "cuda:2"], DataParallelDevices.For(3, "cuda", onGpu: true, () => 8));
        Assert.Equal(["cpu", "cpu"], DataParallelDevices.For(2, "cpu", onGpu: false, () => throw new InvalidOperationException("no GPU is asked for")));
        Assert.Equal(["cuda:1"], DataParallelDevices.For(1, "cuda:1", onGpu: true, () => throw new InvalidOperationException("one engine keeps its device")));

        var tooMany = Assert.Throws<UserErrorException>(() => DataParallelDevices.For(4, "cuda", onGpu: true, () => 2));
        Assert.Equal("--data-parallel-size 4 needs 4 GPUs (engine i on cuda:i), and this machine has 2; use at most 2, or --device cpu.", tooMany.Message);
        Assert.Contains("not cuda:1", Assert.Throws<UserErrorException>(() => DataParallelDevices.For(2, "cuda:1", onGpu: true, () => 2)).Message, StringComparison.Ordinal);
        Assert.Equal("--data-parallel-size must be at least 1, got 0.", Assert.Throws<UserErrorException>(() => DataParallelDevices.For(0, "cpu", onGpu: false, () => 0)).Message);
    }

    [Fact]
    public async Task Two_gpu_engines_on_a_machine_without_gpus_is_one_sentence()
    {
        Assert.SkipWhen(CudaBackend.IsAvailable(0, out _), "a GPU engine is available here");
        var (exit, _, error) = await ConsoleCapture.RunAsync("serve", Fixtures.WideQwen3, "--load-format", "dummy", "--device", "cuda", "--data-parallel-size", "2", "--port", "0");

        Assert.Equal(1, exit);
        Assert.Equal("error: --data-parallel-size 2 needs 2 GPUs (engine i on cuda:i), and this machine has none usable; use --device cpu.", error.Trim());
    }
}
