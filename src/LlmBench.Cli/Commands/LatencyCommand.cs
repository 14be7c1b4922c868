using System.CommandLine;
using System.Globalization;
using LlmBench.Benchmarks.Lockstep;
using LlmBench.Benchmarks.Results;
using LlmBench.Reports.Latency;
using LlmBench.Reports.Results;

namespace LlmBench.Cli;

/// <summary>
/// `llmbench latency`, the counterpart of `vllm bench latency`: one lockstep batch per iteration (all requests added at
/// once, greedy, EOS ignored), warm-up iterations first, then end-to-end latency percentiles with prefill (TTFT) and
/// decode step (TPOT) apart.
/// </summary>
internal static class LatencyCommand
{
    private static readonly EngineFlags Engine = new(EngineDefaults.Standard);
    private static readonly BackendFlags Backends = new(allowList: false);
    private static readonly Option<int> InputLen = new("--input-len") { Description = "Prompt tokens per request (random ids).", DefaultValueFactory = _ => 32 };
    private static readonly Option<int> OutputLen = new("--output-len") { Description = "Output tokens per request, EOS ignored.", DefaultValueFactory = _ => 128 };
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "Requests per batch, all added at once (--max-num-seqs is raised to it if needed).", DefaultValueFactory = _ => 8 };
    private static readonly Option<int> WarmupIters = new("--num-iters-warmup") { Description = "Uncounted iterations first.", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> Iters = new("--num-iters") { Description = "Measured iterations.", DefaultValueFactory = _ => 30 };
    private static readonly Option<string?> OutputJson = new("--output-json") { Description = "Where to save the JSON result; the CSV and Markdown go beside it (default: results/latency-<model>-<date>.json)." };

    public static Command Create()
    {
        var command = new Command("latency",
            "Latency of one batch, like `vllm bench latency`: --batch-size requests of --input-len random prompt tokens and --output-len " +
            "output tokens (greedy, EOS ignored) added at once and run to the end, --num-iters-warmup times uncounted, then --num-iters times. " +
            "Reports the end-to-end latency (mean, p10/25/50/75/90/99), TTFT = until every request has its first token (the prefill), " +
            "TPOT = (latency − TTFT) / (output len − 1) (one decode step of the batch) and decode tok/s. --backend measures another framework the same way " +
            "(hf, hf-compile: compile time reported apart; openai: a server). Ctrl-C saves the iterations done, marked incomplete.");
        Engine.AddTo(command);
        Backends.AddTo(command);
        Option[] options = [InputLen, OutputLen, BatchSize, WarmupIters, Iters, OutputJson];
        foreach (var option in options)
            command.Options.Add(option);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(token => RunAsync(parse, token), ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult p, CancellationToken cancellationToken)
    {
        int input = p.GetValue(InputLen), output = p.GetValue(OutputLen), batch = p.GetValue(BatchSize), warmups = p.GetValue(WarmupIters), iters = p.GetValue(Iters);
        Positive("--input-len", input);
        Positive("--output-len", output);
        Positive("--batch-size", batch);
        Positive("--num-iters", iters);
        if (warmups < 0)
            throw new UserErrorException($"--num-iters-warmup must be zero or more, got {warmups}.");
        var seed = Engine.SeedOf(p);
        var name = Backends.Parse(p, p.GetValue(Engine.EnforceEager))[0];
        var context = new BackendContext(Engine, Backends, p, batch, cancellationToken);
        var spec = LockstepBackends.Spec(context, eager: name == "llmbench-eager");
        LatencyRunner? runner = null;
        var worker = new DedicatedWorker<OpenedBackend, (IReadOnlyList<LockstepMeasurement> Iterations, bool Incomplete)>("llmbench-latency", () => LockstepBackends.Open(name, context), opened =>
        {
            var r = new LatencyRunner(opened.Backend, opened.Description.Model.Config.VocabSize);
            Volatile.Write(ref runner, r);
            return r.Run(batch, input, output, warmups, iters, seed, cancellationToken);
        });
        var opened = await worker.Opened;
        BenchmarkConsole.Announce(opened);
        if (opened.Backend.DoesNotFit(new SweepShape(batch, input, output)) is { } why)
        {
            worker.Abandon();
            throw new UserErrorException($"the batch {why}; lower --batch-size, --input-len or --output-len, or raise --max-model-len or the KV cache.");
        }

        var configuration = CommandConfiguration.From(p, seed) with
        {
            EngineOptions = opened.Engine is { } engine ? EngineOptionsDescription.Of(spec, engine) : EngineOptionsDescription.Of(spec, opened.Description.Model.Config.MaxPositionEmbeddings, null),
        };
        worker.Go();
        await BenchmarkConsole.ShowProgressAsync(worker.Completion, () => Volatile.Read(ref runner)?.Done ?? 0, warmups + iters, "iterations");
        var (measured, incomplete) = await worker.Completion;
        var prepared = Volatile.Read(ref runner)?.Preparation ?? BackendPreparation.None;

        var result = LockstepResults.Latency(batch, input, output, warmups, measured, incomplete, opened.Description, configuration)
            with { Backend = name, CompileSeconds = prepared.CompileSeconds, CompileMode = prepared.CompileMode };
        Write(Console.Out, result);
        var path = p.GetValue(OutputJson) ?? Path.Combine("results", $"latency-{ResultPaths.Slug(result.Model.Name)}-{result.Date}.json");
        var (folder, fileName) = ResultFolderWriter.Split(path);
        await Console.Error.WriteLineAsync(ResultPaths.SavedLine(ResultFolderWriter.Write(result, folder, fileName, ResultExporters.Latency)));
        return incomplete ? CommandRunner.Cancelled : 0;
    }

    private static void Positive(string flag, int value)
    {
        if (value < 1)
            throw new UserErrorException($"{flag} must be at least 1, got {value}.");
    }

    private static void Write(TextWriter o, LatencyResult r)
    {
        void Line(FormattableString text) => o.WriteLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"============ Latency {(r.Incomplete ? "INCOMPLETE " : "")}============");
        Line($"{"Backend:",-36}{r.Backend}{(r.CompileSeconds is { } c ? $" (compiled in {c:0.0} s, {r.CompileMode})" : "")}");
        Line($"{"Model:",-36}{r.Model.Description}");
        Line($"{"Device:",-36}{r.Platform.Device}");
        Line($"{"Batch / input / output:",-36}{r.BatchSize} / {r.InputLen} / {r.OutputLen} tokens, greedy, ignore_eos");
        Line($"{"Iterations:",-36}{r.Iterations} (after {r.WarmupIterations} warm-up)");
        Line($"{"Avg latency (s):",-36}{r.LatencySeconds.Mean:0.0000}");
        foreach (var p in r.LatencySeconds.Percentiles)
            Line($"{$"{p.Label}% percentile (s):",-36}{p.Value:0.0000}");
        Line($"{"TTFT, prefill mean / p99 (ms):",-36}{r.TtftMs.Mean:0.00} / {r.TtftMs.ValueAt(99):0.00}");
        Line($"{"TPOT, decode step mean / p99 (ms):",-36}{r.TpotMs.Mean:0.00} / {r.TpotMs.ValueAt(99):0.00}");
        Line($"{"Decode tok/s:",-36}{r.DecodeTokensPerSecond:0.0}");
    }
}
