using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LlmBench.Cli.Tests.Serving;

/// <summary>
/// `llmbench serve` on the CPU engine with transformers' tiny Qwen3: the first generated token's logprobs over HTTP,
/// whole and streamed, equal log_softmax of the logits transformers saved at the last prompt position (golden.json).
/// </summary>
public class ServeLogprobsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Args = [Fixtures.GoldenQwen3, "--max-model-len", "512", "--max-num-seqs", "8", "--max-num-batched-tokens", "512"];

    /// <summary>fp32 logits agree with transformers' within 1e-3 (the engine's golden tests); the normalizer adds at most as much.</summary>
    private const double Tolerance = 2e-3;

    private const int Top = 5;

    [Fact]
    public async Task Completion_logprobs_equal_log_softmax_of_transformers_logits_whole_and_streamed()
    {
        var cases = Golden();
        await using var run = await ServeRun.StartAsync(Args);
        foreach (var (prompt, greedy, logits) in cases)
        {
            var reference = LogSoftmax(logits);
            var expectedTop = reference.Select((lp, id) => (lp, id)).OrderByDescending(p => p.lp).Take(Top).ToArray();

            using var whole = await run.Http.PostAsJsonAsync("v1/completions",
                new { prompt, max_tokens = 2, temperature = 0, ignore_eos = true, logprobs = Top }, Ct);
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            var logprobs = JsonDocument.Parse(await whole.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("choices")[0].GetProperty("logprobs");
            Assert.Equal($"token_id:{greedy}", logprobs.GetProperty("tokens")[0].GetString());
            Assert.Equal(reference[greedy], logprobs.GetProperty("token_logprobs")[0].GetDouble(), Tolerance);
            var map = logprobs.GetProperty("top_logprobs")[0];
            foreach (var (lp, id) in expectedTop)
                Assert.Equal(lp, map.GetProperty($"token_id:{id}").GetDouble(), Tolerance);

            using var streamed = await run.Http.PostAsJsonAsync("v1/completions",
                new { prompt, max_tokens = 2, temperature = 0, ignore_eos = true, logprobs = Top, stream = true }, Ct);
            var body = await streamed.Content.ReadAsStringAsync(Ct);
            var firstChunk = body.Split("\n\n").First(e => e.StartsWith("data: {", StringComparison.Ordinal))["data: ".Length..];
            var chunkLogprobs = JsonDocument.Parse(firstChunk).RootElement.GetProperty("choices")[0].GetProperty("logprobs");
            Assert.Equal(reference[greedy], chunkLogprobs.GetProperty("token_logprobs")[0].GetDouble(), Tolerance);
        }
    }

    private static double[] LogSoftmax(float[] logits)
    {
        var max = logits.Max();
        var log = Math.Log(logits.Sum(v => Math.Exp(v - max)));
        return logits.Select(v => v - max - log).ToArray();
    }

    private static (int[] Prompt, int Greedy, float[] Logits)[] Golden()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.GoldenQwen3, "golden.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => (
            c.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            c.GetProperty("greedy_ids")[0].GetInt32(),
            c.GetProperty("last_logits").EnumerateArray().Select(e => e.GetSingle()).ToArray())).ToArray();
    }
}
