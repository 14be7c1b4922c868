using System.Diagnostics;
using LlmBench.Engine.Api;
using LlmBench.Engine.Loading;
using LlmBench.Gpu;
using LlmBench.Gpu.Tracing;

namespace LlmBench.Engine.Cuda.Profiling;

/// <summary>What to profile: a lockstep batch of <see cref="BatchSize"/> random prompts of <see cref="InputLen"/>
/// tokens generating <see cref="OutputLen"/> tokens each.</summary>
public sealed record ProfileRequest(int BatchSize, int InputLen, int OutputLen)
{
    /// <summary>Decode steps timed through the production path (CUDA graphs, programmatic launch) around the profiled one.</summary>
    public int TimedSteps { get; init; } = 32;

    /// <summary>Production decode steps traced with CUPTI after the timed ones (fewer when the output is too short).</summary>
    public int TracedSteps { get; init; } = 8;

    public ulong Seed { get; init; }
}

/// <summary>
/// The profile of one prefill step and one decode step, with the production decode step (graph replay) timed beside
/// the event-timed eager pass.
/// </summary>
/// <param name="Prefill">The first step: prompts' chunks, up to --max-num-batched-tokens.</param>
/// <param name="Decode">A decode step of the whole batch at context <see cref="DecodeContext"/>.</param>
/// <param name="DecodeStepGpuMs">Median GPU time of the timed production decode steps (upload to readback, CUDA events).</param>
/// <param name="DecodeStepWallMs">Median host time of those steps (scheduling, input preparation, launch and wait).</param>
/// <param name="Options">The engine's options as resolved for this GPU (model length, KV blocks).</param>
/// <param name="Trace">The production decode steps' kernels as CUPTI recorded them; null when no trace ran.</param>
/// <param name="TraceNote">Why no trace ran (CUPTI missing or refused, output too short); null when one did.</param>
public sealed record ProfileRun(
    ProfileRequest Request,
    EngineOptions Options,
    string Device,
    bool Graphs,
    StepProfile Prefill,
    StepProfile Decode,
    int DecodeContext,
    double DecodeStepGpuMs,
    double DecodeStepWallMs,
    int TimedSteps,
    DecodeTrace? Trace,
    string? TraceNote)
{
    public const string Method =
        "CUDA events recorded after every call of an eager forward pass (programmatic launch off), queued behind a 20 ms GPU hold so host launch gaps stay out; the production step is timed separately (graph replay, CUDA events)";
}

/// <summary>Drives a CUDA engine through a lockstep batch and profiles its first prefill step and a mid-run decode step.</summary>
public static class CudaStepProfiler
{
    public static ProfileRun Run(LoadedModel model, EngineOptions options, int ordinal, ProfileRequest request,
        CudaExecutorSettings? settings = null, Action<string>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(request);
        Validate(request, options);
#pragma warning disable CA2000 // LlmEngine.CreateWarmedUp below owns it (disposes it on its own failure)
        var executor = CudaEngine.OpenExecutor(model, options, ordinal, (settings ?? CudaExecutorSettings.Default) with { Overlap = false });
#pragma warning restore CA2000
        string description = executor.Description;
        using var engine = LlmEngine.CreateWarmedUp(executor.Options, executor);
        if (request.InputLen + request.OutputLen > engine.MaxModelLength)
            throw new UserErrorException($"--input-len {request.InputLen} + --output-len {request.OutputLen} exceeds the model length {engine.MaxModelLength}; lower them or raise --max-model-len.");

        var random = new Random(unchecked((int)request.Seed));
        int idRange = Math.Min(engine.VocabSize, 10_000);
        for (int i = 0; i < request.BatchSize; i++)
        {
            var prompt = new int[request.InputLen];
            for (int j = 0; j < prompt.Length; j++)
                prompt[j] = random.Next(idRange);
            engine.AddRequest(new GenerationRequest($"profile-{i}", prompt,
                new SamplingParams { Temperature = 0.6f, MaxTokens = request.OutputLen, IgnoreEos = true, Seed = request.Seed + (ulong)i }));
        }

        progress?.Invoke("prefill step");
        executor.ProfileNextStep();
        var generated = new int[request.BatchSize];
        Count(engine.Step(), generated);
        var prefill = executor.LastProfile!;

        int timed = Math.Min(request.TimedSteps, Math.Max(1, (request.OutputLen / 2) - 1));
        int decodeFrom = Math.Max(1, (request.OutputLen / 2) - (timed / 2));
        progress?.Invoke("decode to mid-output");
        while (generated.Min() < decodeFrom)
        {
            cancel.ThrowIfCancellationRequested();
            Count(engine.Step(), generated);
        }

        progress?.Invoke("timed decode steps");
        var gpuMs = new double[timed];
        var wallMs = new double[timed];
        for (int k = 0; k < timed; k++)
        {
            long start = Stopwatch.GetTimestamp();
            Count(engine.Step(), generated);
            wallMs[k] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            gpuMs[k] = executor.LastStepGpuMs;
        }

        int traceable = request.OutputLen - generated.Min() - 1; // one step is left for the profiled one
        var (trace, traceNote) = TraceDecodeSteps(engine, generated, Math.Min(request.TracedSteps, traceable), progress, cancel);

        progress?.Invoke("profiled decode step");
        int context = request.InputLen + generated.Min();
        executor.ProfileNextStep();
        Count(engine.Step(), generated);
        var decode = executor.LastProfile!;
        return new ProfileRun(request, engine.Options, description, !options.EnforceEager, prefill, decode, context, Median(gpuMs), Median(wallMs), timed, trace, traceNote);
    }

    /// <summary>
    /// Runs <paramref name="steps"/> production decode steps under a CUPTI kernel trace, marking CUPTI's clock before
    /// each (the steps are synchronous: overlap is off), or says why it could not.
    /// </summary>
    private static (DecodeTrace? Trace, string? Note) TraceDecodeSteps(LlmEngine engine, int[] generated, int steps, Action<string>? progress, CancellationToken cancel)
    {
        if (steps < 1)
            return (null, "the output is too short to leave decode steps for a CUPTI trace; raise --output-len");
        if (CuptiKernelTrace.Unavailable() is { } reason)
            return (null, reason);
        progress?.Invoke($"{steps} decode steps traced with CUPTI");
        try
        {
            var marks = new List<ulong>(steps);
            using var trace = CuptiKernelTrace.Start();
            for (int k = 0; k < steps; k++)
            {
                cancel.ThrowIfCancellationRequested();
                marks.Add(CuptiKernelTrace.Now());
                Count(engine.Step(), generated);
            }
            ulong end = CuptiKernelTrace.Now();
            var (kernels, dropped) = trace.Stop();
            var result = DecodeTrace.Of(kernels, marks, end, dropped);
            return result.Steps > 0 ? (result, null) : (null, "CUPTI recorded no kernels in the traced steps");
        }
        catch (GpuCallException ex)
        {
            return (null, $"CUPTI refused the trace: {ex.Message}");
        }
    }

    /// <summary>Refuses, in one sentence, a request no engine can profile; cheap, so commands call it before opening a GPU.</summary>
    public static void Validate(ProfileRequest r, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(options);
        if (r.BatchSize < 1)
            throw new UserErrorException($"--batch-size must be at least 1, got {r.BatchSize}.");
        if (r.BatchSize > options.MaxNumSeqs)
            throw new UserErrorException($"--batch-size {r.BatchSize} is more than --max-num-seqs {options.MaxNumSeqs}; raise --max-num-seqs.");
        if (r.InputLen < 1)
            throw new UserErrorException($"--input-len must be at least 1, got {r.InputLen}.");
        if (r.OutputLen < 4)
            throw new UserErrorException($"--output-len must be at least 4 (decode steps are timed around its middle), got {r.OutputLen}.");
    }

    private static void Count(IReadOnlyList<TokenEvent> events, int[] generated)
    {
        foreach (var e in events)
        {
            if (e.TokenId >= 0)
                generated[int.Parse(e.RequestId.AsSpan("profile-".Length), System.Globalization.CultureInfo.InvariantCulture)]++;
        }
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
