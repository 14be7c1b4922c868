using System.Runtime.InteropServices;
using LlmBench.Engine.Cuda.Profiling;
using LlmBench.Engine.Models;
using LlmBench.Engine.Scheduling;
using LlmBench.Engine.Weights;
using LlmBench.Gpu;
using LlmBench.Gpu.Blas;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Numerics;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

/// <summary>
/// The CUDA backend: bf16 weights, a paged bf16 or fp8 KV cache sized from --gpu-memory-utilization, NVRTC kernels,
/// cuBLASLt GEMMs planned once per token bucket, sampling and log probabilities on the GPU (only ids, and the
/// asked-for log probabilities, come back), and decode steps replayed from CUDA graphs unless --enforce-eager.
/// </summary>
public sealed class CudaModelExecutor : IModelExecutor
{
    private readonly GpuDevice _device;
    private readonly CudaStream _stream;
    private readonly ModelKernels _kernels;
    private readonly GpuModelWeights _weights;
    private readonly GpuKvCache _cache;
    private readonly Activations _work;
    private readonly StepInputs _inputs;
    private readonly CublasLtContext _blas;
    private readonly GemmPlans _plans;
    private readonly CudaForwardPass _forward;
    private readonly DecodeGraphs? _graphs;
    private readonly SampleOutputs _samples;
    private readonly StepTimer _timer;
    private readonly OverlapTimer _overlapTimer;
    private readonly Queue<(int Slot, int Count, LogprobJob[] Jobs)> _launched = new();
    private Dictionary<Sequence, int> _previousSamples = [];
    private Dictionary<Sequence, int> _currentSamples = [];
    private readonly bool _ownsDevice;
    private EventProbe? _probe;
    private bool _profileNext;
    private int _launchSlot;
    private bool _kvScalesDue;

    /// <summary>Plans memory (user errors first), then compiles, uploads, allocates and captures.</summary>
    /// <param name="ownsDevice">True when disposing this executor should also release <paramref name="device"/>
    /// (what <see cref="CudaEngine.Create"/> does: the engine then owns everything through its executor).</param>
    public CudaModelExecutor(GpuDevice device, ModelConfig model, ITensorSource weights, EngineOptions options, CudaExecutorSettings? settings = null,
        bool ownsDevice = false)
    {
        _ownsDevice = ownsDevice;
        settings ??= CudaExecutorSettings.Default;
        OverlapEnabled = settings.Overlap;
        ArgumentNullException.ThrowIfNull(device);
        // An fp8 checkpoint runs in fp8 (its block scales re-quantized per row) unless --quantization none; on a GPU
        // without fp8 it runs dequantized to bf16.
        options = options.ForCheckpoint(model, backendRunsFp8: device.Info.ComputeCapability.SupportsFp8);
        if (options.KvCacheDtype.IsFp8() && !device.Info.ComputeCapability.SupportsFp8)
            throw new UserErrorException(
                $"--kv-cache-dtype fp8 needs a GPU of compute capability 8.9 or newer (Ada, Hopper); {device.Info.Name} is {device.Info.ComputeCapability}.");
        if (options.Quantization == WeightQuantization.Fp8 && !device.Info.ComputeCapability.SupportsFp8)
            throw new UserErrorException(
                $"--quantization fp8 needs a GPU of compute capability 8.9 or newer (Ada, Hopper); {device.Info.Name} is {device.Info.ComputeCapability}.");
        var shapes = KernelShapesFor.Model(model, options.BlockSize, options.KvCacheDtype, options.Quantization) with
        {
            NormsAfterGemv = settings.NormsAfterGemv,
            MergeAttentionInLastCta = settings.MergeAttentionInLastCta,
            SplitSampling = settings.SplitSampling,
        };
        var memory = GpuMemoryPlan.Create(device, model, options);
        (_device, Model, Options, MemoryPlan) = (device, model, memory.Options, memory);
        NumKvBlocks = memory.Options.NumKvBlocks!.Value;
        var started = System.Diagnostics.Stopwatch.StartNew();
        _stream = device.CreateStream();
        _kernels = ModelKernels.Load(new KernelCompiler(device, settings.KernelCache), shapes);
        CompileSeconds = started.Elapsed.TotalSeconds;
        _weights = GpuModelWeights.Upload(device, _stream, model, weights, _kernels.Fp8);
        _cache = new GpuKvCache(device, model, NumKvBlocks, options.BlockSize, options.KvCacheDtype);
        _kvScalesDue = options.CalculateKvScales;
        int sms = device.Info.MultiprocessorCount;
        _work = new Activations(device, model, memory.MaxStepTokens, memory.MaxBatchSequences,
            GpuMemoryPlan.PartialSlots(model, memory.MaxBatchSequences, sms, settings.MaxDecodeSplits), _kernels.Fp8 is not null);
        _inputs = new StepInputs(device, memory.MaxStepTokens, memory.MaxBatchSequences, memory.MaxBlocksPerSequence, options.BlockSize, 16 * memory.MaxBatchSequences);
        _samples = new SampleOutputs(device, memory.MaxBatchSequences, model.VocabSize);
        _blas = CublasLtContext.Create(device);
        var tokenBuckets = new TokenBuckets(memory.MaxStepTokens);
        var rowBuckets = new TokenBuckets(memory.MaxBatchSequences);
        Fp8LinearScratch? fp8 = _kernels.Fp8 is { } fp8Kernels
            ? new Fp8LinearScratch(fp8Kernels, settings.Fp8Gemm, _work.WeightScratch!, _work.Fp8Activations!.Value)
            : null;
        _plans = new GemmPlans(_blas, _kernels, model, tokenBuckets, rowBuckets, settings.GemvMaxTokens,
            settings.FuseNormsIntoGemv && !settings.NormsAfterGemv, fp8, settings.NormsAfterGemv);
        bool programmatic = settings.ProgrammaticLaunch && device.Info.ComputeCapability.SupportsProgrammaticDependentLaunch;
        _forward = new CudaForwardPass(model, _kernels, _weights, _cache, _work, _inputs, _plans, tokenBuckets, rowBuckets, sms,
            settings.MaxDecodeSplits, programmatic, settings.MergeAttentionInLastCta, settings.SplitSampling);
        var decodeSizes = rowBuckets.Sizes;
        WarmUp(decodeSizes[^1]);
        _plans.WarmUp(_stream, _weights, _work);
        if (settings.AutotuneGemms && _kernels.Fp8 is null) // autotuning times GEMMs on the bf16 weights an fp8 model no longer has
            _plans.Autotune(_stream, _weights, _work, decodeSizes);
        if (!options.EnforceEager)
            _graphs = new DecodeGraphs(_stream, _forward, _inputs, _samples.Targets, decodeSizes);
        _timer = new StepTimer(device);
        _overlapTimer = new OverlapTimer(device);
        _stream.Synchronize();
        StartupSeconds = started.Elapsed.TotalSeconds;
    }

    public ModelConfig Model { get; }
    public int NumKvBlocks { get; }
    /// <summary>The options resolved for this GPU's memory (KV blocks and model length filled in).</summary>
    public EngineOptions Options { get; }
    internal GpuMemoryPlan MemoryPlan { get; }
    public int CapturedGraphs => _graphs?.Count ?? 0;

    /// <summary>How steps above the GEMV sizes multiply by fp8 weights; null with bf16 weights.</summary>
    public Fp8LargeStepGemm? Fp8Gemm => _plans.Fp8Gemm;
    public double CompileSeconds { get; }
    /// <summary>Kernels, weights, cache, plans and graphs, from the memory plan to ready.</summary>
    public double StartupSeconds { get; }
    public GpuDevice Device => _device;

    /// <summary>"cuda:0 NVIDIA H200": the device as results name it.</summary>
    public string Description => $"cuda:{_device.Ordinal} {_device.Info.Name}";

    /// <summary>Share of the time between step starts that the GPU sat idle (waiting for the CPU), over all steps so far.</summary>
    public double? GpuIdleShare => OverlapEnabled ? _overlapTimer.IdleShare : _timer.IdleShare;

    /// <summary>GPU time of the last step (upload, forward, sampling, readback), from events.</summary>
    public double LastStepGpuMs => OverlapEnabled ? _overlapTimer.LastGpuMs : _timer.LastGpuMs;

    public bool OverlapEnabled { get; }

    /// <summary>What the KV cache stores.</summary>
    public KvCacheDtype KvCacheDtype => _cache.Dtype;

    /// <summary>The fp8 cache's (K, V) scales per layer, back to back: 1.0, or calibrated by the first prefill with --calculate-kv-scales.</summary>
    public IReadOnlyList<float> KvCacheScales => _cache.Scales;

    /// <summary>How long the profiling pass holds the GPU before its calls, so the host queues them all first.</summary>
    private static readonly TimeSpan ProfileHold = TimeSpan.FromMilliseconds(20);

    /// <summary>The profile of the step <see cref="ProfileNextStep"/> asked for, once that step ran.</summary>
    public StepProfile? LastProfile { get; private set; }

    /// <summary>
    /// Has the next synchronous step (<see cref="Execute"/>) first run an extra eager pass of the same plan with a CUDA
    /// event after every call, queued behind a GPU hold so host launch gaps stay out of the times, and keep it in
    /// <see cref="LastProfile"/>. The extra pass writes the same K/V and samples the same ids as the real step that
    /// follows it, so generation is unchanged. Not for overlapped steps.
    /// </summary>
    public void ProfileNextStep()
    {
        if (OverlapEnabled)
            throw new InvalidOperationException("profile an executor built without overlap (CudaExecutorSettings.Overlap = false).");
        _probe ??= new EventProbe(_device, (16 * Model.NumHiddenLayers) + 16);
        _profileNext = true;
    }

    /// <summary>
    /// On the GPU, from the logits the sampler reads before any ban (logprobs.cu: the row's log-normalizer and its top
    /// tokens; the sampler writes the sampled token's logit). Steps that ask for none launch nothing more.
    /// </summary>
    public bool ComputesLogprobs => true;

    /// <summary>Samples on the GPU; entries that asked for log probabilities get them in <paramref name="logprobs"/>, the others null.</summary>
    public void Execute(StepPlan plan, Span<int> sampledTokenIds, Span<LlmBench.Engine.Api.TokenLogprobs?> logprobs)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (sampledTokenIds.Length != plan.NumSampled)
            throw new ArgumentException($"sampled token ids: expected a span of {plan.NumSampled}, got {sampledTokenIds.Length}.");
        if (logprobs.Length != plan.NumSampled)
            throw new ArgumentException($"logprobs: expected a span of {plan.NumSampled}, got {logprobs.Length}.");
        if (plan.IsEmpty)
            return;
        CalibrateKvScalesIfDue(plan);
        if (_profileNext)
        {
            _profileNext = false;
            LastProfile = ProfilePass(plan);
        }
        int padded = GraphSizeFor(plan);
        var jobs = LogprobJob.Of(plan);
        var shape = _inputs.Write(plan, padded, logprobJobs: jobs);
        _timer.Begin(_stream);
        _inputs.Upload(_stream, shape);
        RunForward(shape, padded);
        _samples.Download(_stream, 0, jobs.Length);
        _timer.End(_stream);
        _stream.Synchronize();
        _timer.Complete();
        _samples.Ids(0, plan.NumSampled).CopyTo(sampledTokenIds);
        _samples.ReadLogprobs(0, jobs, logprobs);
    }

    /// <summary>A replayed decode graph (log probabilities measured after it) or an eager pass (measured inside it, before bans).</summary>
    private void RunForward(StepShape shape, int padded)
    {
        if (padded > 0)
        {
            _graphs!.Launch(_stream, padded);
            _forward.MeasureLogprobs(_stream, shape, _samples.Targets.Records);
        }
        else
        {
            _forward.Enqueue(_stream, shape, _samples.Targets);
        }
    }

    public void Launch(StepPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (_launched.Count > 1)
            throw new InvalidOperationException("two steps are in flight already; collect one before launching another.");
        if (_launched.Count == 0)
        {
            CalibrateKvScalesIfDue(plan);
            _overlapTimer.Restart();
        }
        int padded = GraphSizeFor(plan);
        var jobs = LogprobJob.Of(plan);
        _inputs.Parity = _launchSlot;
        var shape = _inputs.Write(plan, padded, _previousSamples, jobs);
        _overlapTimer.Begin(_stream);
        _inputs.Upload(_stream, shape);
        if (shape.Placeholders > 0)
        {
            var io = _inputs.Views(shape);
            _kernels.Util.AdvanceTokens(_stream, _samples.Targets.Ids, io.SourceRows, io.Tokens, shape.Tokens);
        }
        RunForward(shape, padded);
        _samples.Download(_stream, _launchSlot, jobs.Length);
        _overlapTimer.End(_stream);
        _launched.Enqueue((_launchSlot, plan.NumSampled, jobs));
        _launchSlot ^= 1;
        RememberSamples(plan);
    }

    public void Collect(Span<int> sampledTokenIds, Span<LlmBench.Engine.Api.TokenLogprobs?> logprobs)
    {
        if (!_launched.TryPeek(out var launched))
            throw new InvalidOperationException("no launched step to collect.");
        if (sampledTokenIds.Length != launched.Count || logprobs.Length != launched.Count)
            throw new ArgumentException($"sampled token ids and logprobs: expected spans of {launched.Count}, got {sampledTokenIds.Length} and {logprobs.Length}.");
        _launched.Dequeue();
        _overlapTimer.Collect(); // waits for the step's last event
        _samples.Ids(launched.Slot, launched.Count).CopyTo(sampledTokenIds);
        _samples.ReadLogprobs(launched.Slot, launched.Jobs, logprobs);
    }

    /// <summary>
    /// With --calculate-kv-scales, the first step that prefills (with no step in flight) first runs an extra eager pass
    /// of the same plan that records each layer's largest |k| and |v|; the scales become those over 448, and the real
    /// step then writes the same K/V again with them. Once per executor.
    /// </summary>
    private void CalibrateKvScalesIfDue(StepPlan plan)
    {
        if (!_kvScalesDue || plan.NumPrefillTokens == 0)
            return;
        _kvScalesDue = false;
        var shape = _inputs.Write(plan);
        _inputs.Upload(_stream, shape);
        _stream.Synchronize();
        _cache.ResetMaxima();
        _forward.Enqueue(_stream, shape, default, recordKvMaxima: true);
        _stream.Synchronize();
        _cache.SetScales(GpuKvCache.ScalesFromMaxima(_cache.ReadMaxima()));
    }

    private StepProfile ProfilePass(StepPlan plan)
    {
        var jobs = LogprobJob.Of(plan);
        var shape = _inputs.Write(plan, logprobJobs: jobs);
        _inputs.Upload(_stream, shape);
        _kernels.Util.HoldGpu(_stream, ProfileHold);
        _probe!.Begin(_stream);
        _forward.Enqueue(_stream, shape, _samples.Targets, _probe);
        _stream.Synchronize();
        long decodeContext = 0, prefillContext = 0;
        foreach (var entry in plan.Entries)
        {
            if (entry.TokenCount == 1) // one-token rows run through decode attention
                decodeContext += entry.StartPosition + 1;
            else
                prefillContext += entry.StartPosition + entry.TokenCount;
        }
        var traffic = new StepTraffic(Model, plan.NumTokens, plan.NumSampled, decodeContext, prefillContext, jobs.Length);
        var calls = _probe.Read().Select(c => new KernelCall(c.Role, c.Layer, c.Role.Family(c.OurKernel), c.Milliseconds, traffic.BytesOf(c.Role))).ToArray();
        return new StepProfile(plan.NumTokens, shape.DecodeSequences, plan.NumPrefillTokens, calls);
    }

    /// <summary>Which sample row of this launch holds each sequence's next token, for the next launch's placeholders.</summary>
    private void RememberSamples(StepPlan plan)
    {
        (_previousSamples, _currentSamples) = (_currentSamples, _previousSamples);
        _previousSamples.Clear();
        int row = 0;
        foreach (var entry in plan.Entries)
        {
            if (entry.Sample)
                _previousSamples[entry.Sequence] = row++;
        }
    }

    public void ExecuteForLogits(StepPlan plan, Span<float> logits)
    {
        ArgumentNullException.ThrowIfNull(plan);
        int vocab = Model.VocabSize;
        if (logits.Length != plan.NumSampled * vocab)
            throw new ArgumentException($"logits: expected a span of {plan.NumSampled * vocab}, got {logits.Length}.");
        if (plan.IsEmpty)
            return;
        CalibrateKvScalesIfDue(plan);
        var shape = _inputs.Write(plan);
        _inputs.Upload(_stream, shape);
        _forward.Enqueue(_stream, shape, default);
        _stream.Synchronize();
        var bits = new BFloat16[plan.NumSampled * vocab];
        _work.Logits.CopyTo(bits);
        DTypeConversions.BFloat16ToFloat32(MemoryMarshal.Cast<BFloat16, ushort>(bits), logits);
    }

    /// <summary>One eager decode pass of dummy sequences: lazy initialization happens outside capture, and the
    /// activations hold real values.</summary>
    private void WarmUp(int batch)
    {
        var shape = _inputs.Write(StepPlan.Empty, batch);
        _inputs.Upload(_stream, shape);
        _forward.Enqueue(_stream, shape, _samples.Targets);
        _stream.Synchronize();
    }

    /// <summary>The captured size to replay for a decode-only plan without banned ids, or 0 to run eagerly.</summary>
    private int GraphSizeFor(StepPlan plan)
    {
        if (_graphs is null || plan.NumPrefillTokens > 0)
            return 0;
        foreach (var entry in plan.Entries)
        {
            if (entry.TokenCount != 1 || !entry.BannedTokenIds.IsEmpty)
                return 0;
        }
        return _graphs.PaddedSize(plan.Entries.Count);
    }

    public void Dispose()
    {
        _device.MakeCurrent();
        _stream.Synchronize();
        _timer.Dispose();
        _probe?.Dispose();
        _graphs?.Dispose();
        _plans.Dispose();
        _blas.Dispose();
        _overlapTimer.Dispose();
        _samples.Dispose();
        _inputs.Dispose();
        _work.Dispose();
        _cache.Dispose();
        _weights.Dispose();
        _kernels.Dispose();
        _stream.Dispose();
        if (_ownsDevice)
            _device.Dispose();
    }
}
