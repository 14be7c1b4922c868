using System.Diagnostics;
using LlmBench.Engine.Api;
using LlmBench.Engine.Sampling;

namespace LlmBench.Engine.Tests.Sampling;

/// <summary>
/// What a request for log probabilities costs the CPU engine per generated token, beside the sampling it does anyway:
/// <see cref="LogprobCalculator.Measure"/> over a Qwen3-sized row (151,936 logits) with 0, 5 and 20 alternatives, and
/// the sampler alone for scale. Runs only with LLMBENCH_PERF=1; prints microseconds per token (docs/PERFORMANCE.md).
/// </summary>
public class LogprobCostBenchmark(ITestOutputHelper output)
{
    private const int Vocab = 151_936;
    private const int Rounds = 2_000;

    [Fact]
    public void Logprobs_cost_per_token_on_a_qwen3_row()
    {
        Assert.SkipUnless(Environment.GetEnvironmentVariable("LLMBENCH_PERF") == "1", "set LLMBENCH_PERF=1 to time the log probabilities");
        var random = new Random(1);
        var logits = Enumerable.Range(0, Vocab).Select(_ => (float)(random.NextDouble() * 20 - 10)).ToArray();
        var calculator = new LogprobCalculator(Vocab);
        var sampler = new Sampler(Vocab);
        var row = new float[Vocab];

        double Time(Action step)
        {
            for (int i = 0; i < 100; i++)
                step();
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < Rounds; i++)
                step();
            return clock.Elapsed.TotalMicroseconds / Rounds;
        }

        var greedy = SamplingParams.Greedy(1);
        var sampled = new SamplingParams { Temperature = 0.7f, TopP = 0.95f, TopK = 50 };
        var report = string.Join("; ", new[]
        {
            $"greedy sample {Time(() => { logits.CopyTo(row); sampler.Sample(row, greedy, 1, 0); }):F1} µs",
            $"top-k/top-p sample {Time(() => { logits.CopyTo(row); sampler.Sample(row, sampled, 1, 0); }):F1} µs",
            $"logprobs 0 {Time(() => calculator.Measure(logits, 0)):F1} µs",
            $"logprobs 5 {Time(() => calculator.Measure(logits, 5)):F1} µs",
            $"logprobs 20 {Time(() => calculator.Measure(logits, 20)):F1} µs",
        });
        output.WriteLine(report);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "llmbench-logprob-cost.txt"), report + "\n");
    }
}
