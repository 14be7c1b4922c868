using System.Diagnostics;
using LlmBench.Engine;
using LlmBench.Engine.Api;
using LlmBench.Engine.Cuda;
using LlmBench.Engine.Loading;
using LlmBench.Engine.Sampling;
using LlmBench.Engine.Scheduling;
using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Kernels;
using LlmBench.Gpu.Numerics;
using LlmBench.Gpu.Peak;
using LlmBench.Kernels;

namespace LlmBench.Dev.EngineCheck;

/// <summary>
/// `EngineCheck logprobs`: what GPU log probabilities cost and whether they are right. Cost: the median decode step
/// (wall and GPU) at batch 1 and 64 without logprobs and with top 5 and top 20, through the engine (graphs,
/// overlapped steps), the variants alternated twice. Accuracy: each step of a few greedy requests runs twice on the
/// same plan, once for its logits (ExecuteForLogits) and once sampling with logprobs, and the GPU's values are
/// compared with LogprobCalculator on those logits.
/// </summary>
internal static class LogprobsCheck
{
    public static int Run(string model)
    {
        using var loaded = model.Contains('/', StringComparison.Ordinal) ? ModelDir.Load(model)
            : ModelLoader.Load(new ModelLoadOptions { Model = model, Format = LoadFormat.Dummy, Environment = HuggingFaceEnvironment.WithHfHome(Path.GetTempPath()) });
        using var device = GpuDevice.Open(0);
        var options = new EngineOptions { MaxNumSeqs = 64, MaxNumBatchedTokens = 8192, MaxModelLen = 1024 };
        int failures = Accuracy(device, loaded, options);
        KernelCost(device, loaded.Config.VocabSize);
        Cost(device, loaded, options);
        Console.WriteLine(failures == 0 ? "logprobs: GPU matches LogprobCalculator" : $"logprobs: {failures} mismatches");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>logprobs.cu's two kernels alone (CUDA events, launches back to back) on uniform random bf16 logits, one chunk per row and the default.</summary>
    private static void KernelCost(GpuDevice device, int vocab)
    {
        using var stream = device.CreateStream();
        var compiler = new KernelCompiler(device, new CubinCache(Path.Combine(Path.GetTempPath(), "llmbench-logprobs-check")));
        using var fill = new RandomFill(compiler, device);
        using var kernel = new LogprobKernel(compiler);
        const int MaxJobs = 64;
        using var logits = device.Allocate<BFloat16>((long)MaxJobs * vocab);
        using var rows = device.Allocate<int>(MaxJobs);
        using var tops = device.Allocate<int>(MaxJobs);
        using var records = device.Allocate<int>(MaxJobs * LogprobKernel.RecordLength);
        using var scratch = device.Allocate<int>(LogprobKernel.ScratchLength(MaxJobs));
        fill.Uniform(stream, logits.View, 11, -10f, 10f);
        rows.CopyFrom([.. Enumerable.Range(0, MaxJobs)]);
        var timer = new EventTimer(device, stream) { MinSampleMilliseconds = 1 };
        var line = new List<string>();
        foreach (int jobs in new[] { 1, 64 })
        {
            foreach (int top in new[] { 0, 5, 20 })
            {
                tops.CopyFrom([.. Enumerable.Repeat(top, MaxJobs)]);
                // One chunk per row is the single-CTA-per-row kernel this replaced (plus the merge launch).
                foreach (int? splits in new int?[] { 1, null })
                {
                    double ms = timer.MedianMilliseconds(s => kernel.Measure(s, logits.View, vocab, rows.View, tops.View, records.View, scratch.View, jobs, splits));
                    line.Add($"{jobs} rows top {top} {(splits is null ? $"{LogprobKernel.SplitsFor(jobs)} chunks" : "1 chunk")}: {ms * 1000:F1} µs");
                }
            }
        }
        Console.WriteLine($"logprobs kernels alone, vocab {vocab}:\n  {string.Join("\n  ", line)}");
    }

    private static void Cost(GpuDevice device, LoadedModel loaded, EngineOptions options)
    {
        var executor = new CudaModelExecutor(device, loaded.Config, loaded.Weights, options);
        using var engine = new LlmEngine(executor.Options, executor);
        Console.WriteLine($"{device.Info.Name}: {executor.CapturedGraphs} CUDA graphs, overlapped steps");
        Steps(engine, executor, 8, null); // JIT, paths and clocks warm
        int?[] variants = [null, 5, 20];
        foreach (int batch in new[] { 1, 64 })
        {
            for (int round = 1; round <= 2; round++)
            {
                foreach (var top in variants)
                {
                    var (wall, gpu) = Steps(engine, executor, batch, top);
                    Console.WriteLine($"bs {batch,2} logprobs {(top is { } k ? $"top {k,2}" : "none  ")} (round {round}): decode step median {Median(wall):F3} ms, GPU {Median(gpu):F3} ms");
                }
            }
        }
    }

    private static (List<double> Wall, List<double> Gpu) Steps(LlmEngine engine, CudaModelExecutor executor, int batch, int? top)
    {
        var random = new Random(batch);
        for (int i = 0; i < batch; i++)
        {
            var prompt = Enumerable.Range(0, 128).Select(_ => random.Next(Math.Min(executor.Model.VocabSize, 150_000))).ToArray();
            engine.AddRequest(new GenerationRequest($"r{i}", prompt, SamplingParams.Greedy(64, ignoreEos: true) with { Logprobs = top }));
        }
        var wall = new List<double>();
        var gpu = new List<double>();
        for (int step = 0; engine.HasUnfinishedRequests; step++)
        {
            long start = Stopwatch.GetTimestamp();
            engine.Step();
            if (step > 1) // past the prefill and the first overlapped decode
            {
                wall.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                gpu.Add(executor.LastStepGpuMs);
            }
        }
        return (wall, gpu);
    }

    private static int Accuracy(GpuDevice device, LoadedModel loaded, EngineOptions options)
    {
        using var executor = new CudaModelExecutor(device, loaded.Config, loaded.Weights, options, CudaExecutorSettings.Default with { Overlap = false });
        var scheduler = new Scheduler(executor.Options);
        int vocab = executor.Model.VocabSize, failures = 0, compared = 0;
        var random = new Random(7);
        int[] tops = [0, 1, 5, 20];
        for (int i = 0; i < 8; i++)
        {
            var prompt = Enumerable.Range(0, 16 + (9 * i)).Select(_ => random.Next(Math.Min(vocab, 150_000))).ToArray();
            var sampling = new SamplingParams { Temperature = i % 2 == 0 ? 0 : 0.8f, MaxTokens = 16, IgnoreEos = true, Logprobs = tops[i % tops.Length], Seed = (ulong)i };
            // The last request bans 100 ids for all its tokens (as min_tokens bans stop ids): an eager pass, with the
            // log probabilities measured before the bans, as the CPU measures them.
            int[]? banned = i == 7 ? [.. Enumerable.Range(0, 100)] : null;
            if (banned is not null)
                sampling = sampling with { MinTokens = 16 };
            scheduler.Add(new Sequence($"a{i}", prompt, sampling, (ulong)i, executor.Options.MaxModelLen!.Value, banned));
        }
        var calculator = new LogprobCalculator(vocab);
        double worst = 0;
        while (scheduler.HasUnfinished)
        {
            var plan = scheduler.Schedule();
            var rows = new float[plan.NumSampled * vocab];
            executor.ExecuteForLogits(plan, rows);
            var sampled = new int[plan.NumSampled];
            var logprobs = new TokenLogprobs?[plan.NumSampled];
            executor.Execute(plan, sampled, logprobs);
            int r = 0;
            foreach (var entry in plan.Entries.Where(e => e.Sample))
            {
                var row = rows.AsSpan(r * vocab, vocab);
                var expected = calculator.Measure(row, entry.Sampling.Logprobs!.Value).For(row[sampled[r]]);
                var got = logprobs[r]!;
                // ExecuteForLogits returns a banned request's row after the bans (-inf at the banned ids), while the GPU
                // measures the row before them, as documented: the same logits with a larger normalizer, so each of its
                // values must be lower by one and the same amount (the log of the banned ids' share), the ids agreeing.
                bool banned = !entry.BannedTokenIds.IsEmpty;
                float shift = banned ? got.Logprob - expected.Logprob : 0;
                bool ok = (!banned || shift < 0) && Close(expected.Logprob + shift, got.Logprob) && expected.Top.Count == got.Top.Count;
                if (!banned)
                    worst = Math.Max(worst, Math.Abs(expected.Logprob - got.Logprob));
                for (int t = 0; ok && t < expected.Top.Count; t++)
                {
                    if (!banned)
                        worst = Math.Max(worst, Math.Abs(expected.Top[t].Logprob - got.Top[t].Logprob));
                    ok = Close(expected.Top[t].Logprob + shift, got.Top[t].Logprob)
                        && (expected.Top[t].TokenId == got.Top[t].TokenId || row[expected.Top[t].TokenId] == row[got.Top[t].TokenId]);
                }
                if (!ok)
                {
                    failures++;
                    Console.WriteLine($"mismatch {entry.RequestId} token {entry.OutputIndex}{(banned ? " (banned ids: not one uniform shift)" : "")}: CPU {expected.Logprob} [{string.Join(' ', expected.Top)}] GPU {got.Logprob} [{string.Join(' ', got.Top)}]");
                }
                compared++;
                scheduler.CommitToken(entry.Sequence, sampled[r++]);
                if (entry.Sequence.NumOutputTokens >= entry.Sampling.MaxTokens)
                    scheduler.Finish(entry.Sequence, SequenceStatus.FinishedLength);
            }
        }
        Console.WriteLine($"accuracy: {compared} tokens (top 0/1/5/20, greedy and T=0.8, one request with 100 banned ids, checked for one uniform shift), largest |GPU − CPU| elsewhere {worst:E2}, {failures} outside 1e-4 + 1e-5·|value|");
        return failures;
    }

    private static bool Close(float expected, float got) => Math.Abs(got - expected) <= 1e-4 + (1e-5 * Math.Abs(expected));

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
