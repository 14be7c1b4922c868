using LlmBench.Engine.Api;
using LlmBench.Engine.Models;
using LlmBench.Engine.Sampling;
using LlmBench.Engine.Scheduling;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Cpu;

/// <summary>
/// The CPU backend: weights and a paged fp32 KV cache in host memory, the forward pass on all cores, sampling on
/// the calling thread. A step is split into passes of at most <see cref="MaxTokensPerPass"/> tokens (a long
/// prefill continues in the next pass and reads the earlier ones from the cache), which bounds activation memory
/// without changing any result.
/// </summary>
public sealed class CpuModelExecutor : IModelExecutor
{
    /// <summary>Larger passes reuse each weight row for more tokens, but the activations outgrow the caches.</summary>
    public const int MaxTokensPerPass = 256;

    /// <summary>Logits are computed for this many sampled rows at a time (a row of a 152k vocabulary is 600 kB).</summary>
    private const int LogitsRowsPerGroup = 16;

    private readonly ModelWeights _weights;
    private readonly ForwardPass _forward;
    private readonly TokenBatch _batch;
    private readonly Workspace _work;
    private readonly Sampler _sampler;
    private readonly LogprobCalculator _logprobs;
    private readonly int _blockSize;

    /// <param name="options">Options resolved for this model (<see cref="EngineOptions.ResolveFor"/>).</param>
    public CpuModelExecutor(ModelConfig model, ITensorSource weights, EngineOptions options, CpuWeightFormat format = CpuWeightFormat.Bf16)
    {
        if (!options.IsResolved)
            throw new ArgumentException("the CPU executor needs options resolved for the model (NumKvBlocks and MaxModelLen).", nameof(options));
        Model = model;
        NumKvBlocks = options.NumKvBlocks!.Value;
        _blockSize = options.BlockSize;
        _weights = ModelWeights.Load(model, weights, format);
        var cache = new PagedKvCache(model.NumHiddenLayers, NumKvBlocks, _blockSize, model.NumKeyValueHeads, model.HeadDim);
        int passTokens = Math.Min(MaxTokensPerPass, options.MaxNumBatchedTokens);
        _work = new Workspace(model, passTokens, Math.Min(LogitsRowsPerGroup, passTokens));
        _batch = new TokenBatch(passTokens);
        _forward = new ForwardPass(model, _weights, cache, _work, options.MaxModelLen!.Value);
        _sampler = new Sampler(model.VocabSize);
        _logprobs = new LogprobCalculator(model.VocabSize);
    }

    public ModelConfig Model { get; }

    /// <summary>Not measured on the CPU.</summary>
    public double? GpuIdleShare => null;

    /// <summary>The CPU runs every step synchronously.</summary>
    public bool OverlapEnabled => false;

    public void Launch(StepPlan plan) => throw new NotSupportedException("the CPU executor runs steps synchronously (OverlapEnabled is false).");

    public void Collect(Span<int> sampledTokenIds, Span<TokenLogprobs?> logprobs) => throw new NotSupportedException("the CPU executor runs steps synchronously (OverlapEnabled is false).");
    public int NumKvBlocks { get; }

    /// <summary>Bytes of weights a decode step streams from memory.</summary>
    public long WeightBytes => _weights.SizeBytes;

    /// <summary>Log probabilities come from the same logits row the token is sampled from, measured before sampling bans ids.</summary>
    public bool ComputesLogprobs => true;

    public void Execute(StepPlan plan, Span<int> sampledTokenIds, Span<TokenLogprobs?> logprobs)
    {
        CheckLength(sampledTokenIds.Length, plan.NumSampled, "sampled token ids");
        CheckLength(logprobs.Length, plan.NumSampled, "logprobs");
        var sink = new SamplingSink(_sampler, _logprobs, sampledTokenIds, logprobs);
        Run(plan, ref sink);
    }

    public void ExecuteForLogits(StepPlan plan, Span<float> logits)
    {
        CheckLength(logits.Length, plan.NumSampled * Model.VocabSize, "logits");
        var sink = new CopySink(logits);
        Run(plan, ref sink);
    }

    public void Dispose()
    {
        // Managed memory only; nothing to release early.
    }

    private void Run<TSink>(StepPlan plan, ref TSink sink)
        where TSink : ILogitsSink, allows ref struct
    {
        int entry = 0, offset = 0, ordinal = 0, vocab = Model.VocabSize;
        while (_batch.FillFrom(plan, ref entry, ref offset, _blockSize))
        {
            _forward.Run(_batch);
            for (int first = 0; first < _batch.SampleCount; first += _work.LogitsRows)
            {
                int count = Math.Min(_work.LogitsRows, _batch.SampleCount - first);
                _forward.ComputeLogits(first, count);
                for (int r = 0; r < count; r++)
                    sink.Consume(ordinal++, _batch.SampleEntries[first + r], _work.Logits.AsSpan(r * vocab, vocab));
            }
        }
    }

    private static void CheckLength(int actual, int expected, string what)
    {
        if (actual != expected)
            throw new ArgumentException($"{what}: expected a span of {expected}, got {actual}.");
    }

    private interface ILogitsSink
    {
        void Consume(int ordinal, ScheduledSequence entry, Span<float> logits);
    }

    private readonly ref struct SamplingSink(Sampler sampler, LogprobCalculator calculator, Span<int> output, Span<TokenLogprobs?> logprobs) : ILogitsSink
    {
        private readonly Span<int> _output = output;
        private readonly Span<TokenLogprobs?> _logprobs = logprobs;

        public void Consume(int ordinal, ScheduledSequence entry, Span<float> logits)
        {
            // Measured first: the sampler sets banned ids to -inf in place. The sampled token is never a banned one,
            // so its logit is still the raw value afterwards.
            RowLogprobs? row = entry.Sampling.Logprobs is { } count ? calculator.Measure(logits, count) : null;
            int token = sampler.Sample(logits, entry.Sampling, entry.Seed, entry.OutputIndex, entry.BannedTokenIds);
            _output[ordinal] = token;
            _logprobs[ordinal] = row?.For(logits[token]);
        }
    }

    private readonly ref struct CopySink(Span<float> output) : ILogitsSink
    {
        private readonly Span<float> _output = output;

        public void Consume(int ordinal, ScheduledSequence entry, Span<float> logits) =>
            logits.CopyTo(_output.Slice(ordinal * logits.Length, logits.Length));
    }
}
