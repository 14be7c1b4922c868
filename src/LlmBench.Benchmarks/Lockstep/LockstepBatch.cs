using LlmBench.Benchmarks.Running;
using LlmBench.Benchmarks.Workloads;
using LlmBench.Engine.Api;

namespace LlmBench.Benchmarks.Lockstep;

/// <summary>
/// One lockstep batch, as `vllm bench latency` runs one: <c>batch</c> requests of exactly <c>input</c> prompt tokens
/// (random ids folded into the vocabulary) and <c>output</c> output tokens, all added at once, greedy, EOS ignored,
/// stepped until the last one finishes.
/// </summary>
public sealed class LockstepBatch(IInferenceEngine engine, int vocabSize, IBenchmarkClock clock)
{
    /// <summary>The requests of one batch; the same seed gives the same prompts.</summary>
    public IReadOnlyList<WorkloadRequest> Requests(int batch, int input, int output, ulong seed) => Requests(new SweepShape(batch, input, output), vocabSize, seed);

    /// <summary>
    /// The requests of <paramref name="shape"/>: prompts of exactly its input length, or uniform over its input range when
    /// varied; ids folded into <paramref name="vocabSize"/>. The same seed gives the same prompts to every backend.
    /// </summary>
    public static IReadOnlyList<WorkloadRequest> Requests(SweepShape shape, int vocabSize, ulong seed) =>
        new WorkloadFit(vocabSize, int.MaxValue).Apply(shape.VariedInput
            ? RandomWorkload.CreateRange(shape.BatchSize, shape.InputLen, shape.InputLenMax, shape.OutputLen, seed)
            : RandomWorkload.Create(shape.BatchSize, shape.InputLen, shape.OutputLen, 0, seed));

    /// <summary>Runs the requests; Ctrl-C aborts the batch and the measurement says incomplete.</summary>
    public LockstepMeasurement Run(IReadOnlyList<WorkloadRequest> requests, ulong seed, CancellationToken cancellationToken)
    {
        var m = new OfflineRunner(engine, clock).Run(requests, temperature: 0, seed, cancellationToken);
        return new LockstepMeasurement(m, requests);
    }
}

/// <summary>A lockstep batch's measurement, with the prefill/decode split of the batch as a whole.</summary>
public sealed record LockstepMeasurement(OfflineMeasurement Offline, IReadOnlyList<WorkloadRequest> Requests)
{
    public int Batch => Requests.Count;

    /// <summary>From adding the batch to its last token, seconds.</summary>
    public double ElapsedSeconds => Offline.ElapsedSeconds;

    /// <summary>Until every request had its first token: the batch's prefill, seconds.</summary>
    public double PrefillSeconds => Offline.Outcomes.Where(o => !o.Aborted && o.TtftMs is not null).Select(o => o.TtftMs!.Value / 1000).DefaultIfEmpty(0).Max();

    /// <summary>(elapsed − prefill) / (output − 1): one decode step of the batch, ms; 0 for single-token outputs.</summary>
    public double DecodeStepMs
    {
        get
        {
            int steps = Requests.Count == 0 ? 0 : Requests.Max(r => r.OutputTokens) - 1;
            return steps > 0 ? (ElapsedSeconds - PrefillSeconds) * 1000 / steps : 0;
        }
    }

    public double PrefillTokensPerSecond => PrefillSeconds > 0 ? Requests.Sum(r => (double)r.PromptIds.Length) / PrefillSeconds : 0;
}
